; counter-app for Windows: one installer for every PC of a center (per machine).
; Built by packaging\windows\build.ps1 (Inno Setup 6.3+); see packaging\README.md.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef Dist
  #define Dist "..\..\dist\counter-app"
#endif
#ifndef WinSW
  #define WinSW "..\..\build\windows\WinSW-x64.exe"
#endif
#ifndef VietnameseIsl
  #define VietnameseIsl "..\..\build\windows\Vietnamese.isl"
#endif
; The port the hub's nats-server listens on (NATS' own default); the firewall opens only it.
#define HubPort "4222"
#define HubRule "counter-app hub (NATS " + HubPort + ")"
#define HubData "{commonappdata}\counter-app\hub"

[Setup]
; Fixed for ever: Windows recognises a newer installer as an upgrade of this program and
; installs over it in place (same folder, same shortcuts, data untouched).
AppId={{492BDBC5-3345-44C0-B8F0-8246363FD6B0}
AppName=counter-app
AppVerName=counter-app {#AppVersion}
AppVersion={#AppVersion}
AppPublisher=counter-app
AppComments=Phần mềm quầy một cửa — Trung tâm phục vụ hành chính công cấp xã
DefaultDirName={autopf}\counter-app
DefaultGroupName=counter-app
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist\installer
OutputBaseFilename=counter-app-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
RestartApplications=no
UninstallDisplayIcon={app}\counter-app-gui.exe
SetupLogging=yes

[Languages]
Name: "vi"; MessagesFile: "{#VietnameseIsl}"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
vi.Counter=Quầy (cán bộ tiếp nhận)
en.Counter=Counter (clerk)
vi.Kiosk=Kiosk lấy số
en.Kiosk=Ticket kiosk
vi.Board=Màn hình gọi số
en.Board=Calling board
vi.Hub=Trung tâm (máy chủ)
en.Hub=Center (hub)
vi.AutostartGroup=Tự mở khi đăng nhập Windows, toàn màn hình:
en.AutostartGroup=Open at Windows logon, full screen:
vi.HubTask=Máy này là máy chủ Trung tâm: chạy dịch vụ và mở cổng {#HubPort} trên tường lửa
en.HubTask=This PC is the center's hub: run the service and open port {#HubPort} in the firewall
vi.OpenNow=Mở chương trình ngay
en.OpenNow=Open the program now

[Tasks]
Name: "autostart"; Description: "{cm:AutostartGroup}"; Flags: unchecked
Name: "autostart\kiosk"; Description: "{cm:Kiosk}"; Flags: exclusive unchecked
Name: "autostart\board"; Description: "{cm:Board}"; Flags: exclusive unchecked
Name: "hubservice"; Description: "{cm:HubTask}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole bundle: libraries a newer build no longer ships must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Dist}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "{#WinSW}"; DestDir: "{app}"; DestName: "counter-app-hub.exe"; Tasks: hubservice; Flags: ignoreversion
Source: "counter-app-hub.xml"; DestDir: "{app}"; Tasks: hubservice; Flags: ignoreversion

[Dirs]
; The hub's store: per machine, written by the service (LocalSystem) and administrators only.
Name: "{#HubData}"; Tasks: hubservice; Permissions: admins-full system-full

[Icons]
Name: "{group}\{cm:Counter}"; Filename: "{app}\counter-app-gui.exe"
Name: "{group}\{cm:Kiosk}"; Filename: "{app}\counter-app-gui.exe"; Parameters: "ui --role kiosk --fullscreen"
Name: "{group}\{cm:Board}"; Filename: "{app}\counter-app-gui.exe"; Parameters: "ui --role display --fullscreen"
Name: "{group}\{cm:Hub}"; Filename: "{app}\counter-app.exe"; Parameters: "--data-dir ""{#HubData}"" hub start"
Name: "{commonstartup}\{cm:Kiosk}"; Filename: "{app}\counter-app-gui.exe"; Parameters: "ui --role kiosk --fullscreen"; Tasks: autostart\kiosk
Name: "{commonstartup}\{cm:Board}"; Filename: "{app}\counter-app-gui.exe"; Parameters: "ui --role display --fullscreen"; Tasks: autostart\board

[Run]
Filename: "{sys}\netsh.exe"; Parameters: "advfirewall firewall delete rule name=""{#HubRule}"""; Tasks: hubservice; Flags: runhidden waituntilterminated
Filename: "{sys}\netsh.exe"; Parameters: "advfirewall firewall add rule name=""{#HubRule}"" dir=in action=allow protocol=TCP localport={#HubPort} profile=domain,private program=""{app}\_internal\nats-server.exe"""; Tasks: hubservice; Flags: runhidden waituntilterminated
; `install` fails harmlessly when an earlier version already registered the service.
Filename: "{app}\counter-app-hub.exe"; Parameters: "install"; Tasks: hubservice; Flags: runhidden waituntilterminated
Filename: "{app}\counter-app-hub.exe"; Parameters: "start"; Tasks: hubservice; Flags: runhidden waituntilterminated
Filename: "{app}\counter-app-gui.exe"; Description: "{cm:OpenNow}"; Flags: postinstall nowait skipifsilent unchecked

[UninstallRun]
; The data folders (%LOCALAPPDATA%\counter-app, {#HubData}) are not the installer's: they stay.
Filename: "{app}\counter-app-hub.exe"; Parameters: "stop"; Tasks: hubservice; RunOnceId: "StopHub"; Flags: runhidden waituntilterminated
Filename: "{app}\counter-app-hub.exe"; Parameters: "uninstall"; Tasks: hubservice; RunOnceId: "RemoveHub"; Flags: runhidden waituntilterminated
Filename: "{sys}\netsh.exe"; Parameters: "advfirewall firewall delete rule name=""{#HubRule}"""; Tasks: hubservice; RunOnceId: "RemoveHubRule"; Flags: runhidden waituntilterminated

[Code]
{ An upgrade on the hub PC: stop the service first, or its files are in use. }
function PrepareToInstall(var NeedsRestart: Boolean): String;
var
  Code: Integer;
begin
  Result := '';
  if FileExists(ExpandConstant('{app}\counter-app-hub.exe')) then
    Exec(ExpandConstant('{app}\counter-app-hub.exe'), 'stop', '', SW_HIDE,
         ewWaitUntilTerminated, Code);
end;
