<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="vi">
<context>
    <name>AccountsPage</name>
    <message>
        <source>Tài khoản</source>
        <translation>Accounts</translation>
    </message>
    <message>
        <source>Vai trò</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <source>Chức danh</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>in trên các phiếu, ví dụ Nguyễn Thị Đường</source>
        <translation>printed on the forms, e.g. Nguyễn Thị Đường</translation>
    </message>
    <message>
        <source>ví dụ Công chức Tư pháp - Hộ tịch</source>
        <translation>e.g. Justice and civil status officer</translation>
    </message>
    <message>
        <source>Họ và tên:</source>
        <translation>Full name:</translation>
    </message>
    <message>
        <source>Chức danh:</source>
        <translation>Title:</translation>
    </message>
    <message>
        <source>Lưu họ tên, chức danh</source>
        <translation>Save name and title</translation>
    </message>
    <message>
        <source>Chọn một tài khoản trong bảng để sửa.</source>
        <translation>Choose an account in the table to edit it.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Tạo tài khoản mới&lt;/b&gt;</source>
        <translation>&lt;b&gt;New account&lt;/b&gt;</translation>
    </message>
    <message>
        <source>chữ thường không dấu, ví dụ canbo.duong</source>
        <translation>lower case without marks, e.g. canbo.duong</translation>
    </message>
    <message>
        <source>Tên đăng nhập:</source>
        <translation>Username:</translation>
    </message>
    <message>
        <source>Vai trò:</source>
        <translation>Role:</translation>
    </message>
    <message>
        <source>Mật khẩu:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <source>Tạo tài khoản</source>
        <translation>Create account</translation>
    </message>
    <message>
        <source>Đã lưu họ tên, chức danh của {user}.</source>
        <translation>Saved the name and title of {user}.</translation>
    </message>
    <message>
        <source>Chưa lưu: hãy sửa ô có thông báo đỏ.</source>
        <translation>Not saved: fix the fields with a red message.</translation>
    </message>
    <message>
        <source>Đã tạo tài khoản {user}.</source>
        <translation>Account {user} created.</translation>
    </message>
</context>
<context>
    <name>Age</name>
    <message numerus="yes">
        <source>%n phút</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n giờ</source>
        <translation>
            <numerusform>%n hour</numerusform>
            <numerusform>%n hours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n ngày</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BackupPage</name>
    <message>
        <source>ví dụ ổ USB: E:\SaoLuu</source>
        <translation>e.g. a USB drive: E:\Backups</translation>
    </message>
    <message>
        <source>Chọn…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>Thư mục sao lưu:</source>
        <translation>Backup folder:</translation>
    </message>
    <message>
        <source>Giữ số bản gần nhất:</source>
        <translation>Keep the latest copies:</translation>
    </message>
    <message>
        <source>Lưu</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Sao lưu ngay</source>
        <translation>Back up now</translation>
    </message>
    <message>
        <source>Đã sao lưu: {path}</source>
        <translation>Backed up: {path}</translation>
    </message>
    <message>
        <source>Chọn thư mục sao lưu</source>
        <translation>Choose the backup folder</translation>
    </message>
    <message>
        <source>Đã lưu cài đặt sao lưu.</source>
        <translation>Backup settings saved.</translation>
    </message>
    <message>
        <source>Đang sao lưu…</source>
        <translation>Backing up…</translation>
    </message>
    <message>
        <source>Thư mục dữ liệu:</source>
        <translation>Data folder:</translation>
    </message>
</context>
<context>
    <name>BoardView</name>
    <message>
        <source>SỐ</source>
        <translation>NUMBER</translation>
    </message>
    <message>
        <source>QUẦY</source>
        <translation>COUNTER</translation>
    </message>
    <message>
        <source>VỪA GỌI</source>
        <translation>LAST CALLS</translation>
    </message>
    <message>
        <source>Số</source>
        <translation>Number</translation>
    </message>
    <message>
        <source>Quầy</source>
        <translation>Counter</translation>
    </message>
</context>
<context>
    <name>CallReasonDialog</name>
    <message>
        <source>Gọi số {label} trước lượt</source>
        <translation>Call {label} out of turn</translation>
    </message>
    <message>
        <source>Ghi chú ngắn (bắt buộc khi chọn «Khác»)</source>
        <translation>Short note (required for “Other”)</translation>
    </message>
    <message>
        <source>Vì sao gọi số {label} trước những người đang chờ?</source>
        <translation>Why call {label} before the people waiting?</translation>
    </message>
    <message>
        <source>Gọi số này</source>
        <translation>Call this ticket</translation>
    </message>
    <message>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>CenterPage</name>
    <message>
        <source>Tên Trung tâm:</source>
        <translation>Center name:</translation>
    </message>
    <message>
        <source>Mã định danh cơ quan:</source>
        <translation>Agency code:</translation>
    </message>
    <message>
        <source>Địa chỉ:</source>
        <translation>Address:</translation>
    </message>
    <message>
        <source>trạm tất cả trong một</source>
        <translation>all-in-one station</translation>
    </message>
    <message>
        <source>máy quầy</source>
        <translation>counter PC</translation>
    </message>
    <message>
        <source>kiosk lấy số</source>
        <translation>ticket kiosk</translation>
    </message>
    <message>
        <source>màn hình gọi số</source>
        <translation>calling board</translation>
    </message>
    <message>
        <source>máy chủ Trung tâm</source>
        <translation>center hub</translation>
    </message>
    <message>
        <source>Trạm số:</source>
        <translation>Station number:</translation>
    </message>
    <message>
        <source>Lưu thông tin Trung tâm</source>
        <translation>Save center details</translation>
    </message>
    <message>
        <source>Đã lưu thông tin Trung tâm.</source>
        <translation>Center details saved.</translation>
    </message>
</context>
<context>
    <name>CounterView</name>
    <message>
        <source>Quầy tiếp nhận</source>
        <translation>Reception counter</translation>
    </message>
    <message>
        <source>Quầy bạn đang làm việc</source>
        <translation>The counter you are working at</translation>
    </message>
    <message>
        <source>Hoàn tác</source>
        <translation>Undo</translation>
    </message>
    <message>
        <source>Số vắng mặt quay lại</source>
        <translation>Absent citizen is back</translation>
    </message>
    <message>
        <source>Chưa gọi số nào. Nhấn F2 để gọi số tiếp theo.</source>
        <translation>Nobody called yet. Press F2 to call the next number.</translation>
    </message>
    <message>
        <source>Gọi số tiếp theo</source>
        <translation>Call next</translation>
    </message>
    <message>
        <source>Gọi lại</source>
        <translation>Recall</translation>
    </message>
    <message>
        <source>Vắng mặt</source>
        <translation>No-show</translation>
    </message>
    <message>
        <source>Xong</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>Tiếp nhận hồ sơ</source>
        <translation>Receive dossier</translation>
    </message>
    <message>
        <source>đã phục vụ hôm nay</source>
        <translation>served today</translation>
    </message>
    <message>
        <source>vắng mặt</source>
        <translation>no-shows</translation>
    </message>
    <message>
        <source>đang chờ quầy này</source>
        <translation>waiting for this counter</translation>
    </message>
    <message>
        <source>hồ sơ bạn đã nhận hôm nay</source>
        <translation>dossiers you received today</translation>
    </message>
    <message>
        <source>Số</source>
        <translation>Number</translation>
    </message>
    <message>
        <source>Ưu tiên</source>
        <translation>Priority</translation>
    </message>
    <message>
        <source>Đã chờ</source>
        <translation>Waited</translation>
    </message>
    <message>
        <source>Hàng chờ theo nhóm dịch vụ</source>
        <translation>Queues by service group</translation>
    </message>
    <message>
        <source>Quầy:</source>
        <translation>Counter:</translation>
    </message>
    <message>
        <source>ĐANG PHỤC VỤ</source>
        <translation>NOW SERVING</translation>
    </message>
    <message>
        <source>Chuyển nhóm, quầy</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <source>Gọi số đã chọn</source>
        <translation>Call selected</translation>
    </message>
    <message>
        <source>Gọi trước lượt số đang chọn trong hàng chờ</source>
        <translation>Call the ticket selected in the waiting list out of turn</translation>
    </message>
    <message>
        <source>Tạm nghỉ</source>
        <translation>Pause</translation>
    </message>
</context>
<context>
    <name>CounterWidget</name>
    <message>
        <source>Quầy số {n}</source>
        <translation>Counter {n}</translation>
    </message>
    <message>
        <source>Đổi quầy</source>
        <translation>Change counter</translation>
    </message>
    <message>
        <source>Số {label} đang được gọi đến quầy số {n}. Vẫn chuyển sang quầy khác?</source>
        <translation>Ticket {label} is called to counter {n}. Move to another counter anyway?</translation>
    </message>
    <message>
        <source>Chuyển quầy</source>
        <translation>Move counter</translation>
    </message>
    <message>
        <source>Ở lại quầy số {n}</source>
        <translation>Stay at counter {n}</translation>
    </message>
    <message>
        <source>Đã ghi vắng mặt số {label}. Nhấn Hoàn tác nếu nhầm.</source>
        <translation>Ticket {label} marked absent. Press Undo if this was a mistake.</translation>
    </message>
    <message>
        <source>Hôm nay chưa có số nào bị ghi vắng mặt.</source>
        <translation>No ticket has been marked absent today.</translation>
    </message>
    <message>
        <source>Số {label} đã trở lại hàng chờ nhóm {group}, trước những người đến sau.</source>
        <translation>Ticket {label} is back in the queue of group {group}, ahead of those who came later.</translation>
    </message>
    <message>
        <source>Đã xong số {label}.</source>
        <translation>Finished {label}.</translation>
    </message>
    <message>
        <source>Chưa có số nào đang phục vụ để chuyển.</source>
        <translation>No ticket is being served, nothing to transfer.</translation>
    </message>
    <message>
        <source>Chưa gọi số nào. Nhấn F2 để gọi số tiếp theo.</source>
        <translation>Nobody called yet. Press F2 to call the next number.</translation>
    </message>
    <message>
        <source>Đã gọi lúc {time}, chờ công dân đến quầy</source>
        <translation>Called at {time}, waiting for the citizen</translation>
    </message>
    <message>
        <source>Đang phục vụ từ {time}</source>
        <translation>Serving since {time}</translation>
    </message>
    <message>
        <source>Nhóm {letter} – {name}</source>
        <translation>Group {letter} – {name}</translation>
    </message>
    <message>
        <source>đã chờ {n} phút</source>
        <translation>waited {n} min</translation>
    </message>
    <message>
        <source>ưu tiên: {p}</source>
        <translation>priority: {p}</translation>
    </message>
    <message>
        <source>đã gọi lại {n} lần</source>
        <translation>recalls: {n}</translation>
    </message>
    <message>
        <source>{n} người</source>
        <translation>{n} waiting</translation>
    </message>
    <message>
        <source>{n} phút</source>
        <translation>{n} min</translation>
    </message>
    <message>
        <source>Chọn một số trong hàng chờ (mũi tên lên, xuống) rồi nhấn Ctrl+F2.</source>
        <translation>Select a ticket in the waiting list (up, down arrows), then press Ctrl+F2.</translation>
    </message>
    <message>
        <source>Quầy số {n} làm việc trở lại.</source>
        <translation>Counter {n} is back at work.</translation>
    </message>
    <message>
        <source>Quầy số {n} đang tạm nghỉ.</source>
        <translation>Counter {n} is paused.</translation>
    </message>
    <message>
        <source>Đã chuyển số {label} sang nhóm {target}.</source>
        <translation>Ticket {label} sent to group {target}.</translation>
    </message>
    <message>
        <source>Đã chuyển số {label} đến quầy số {target}.</source>
        <translation>Ticket {label} sent to counter {target}.</translation>
    </message>
    <message>
        <source>Đã chuyển số {label} đến cán bộ {target}.</source>
        <translation>Ticket {label} sent to clerk {target}.</translation>
    </message>
    <message>
        <source>Tiếp tục</source>
        <translation>Resume</translation>
    </message>
    <message>
        <source>Tạm nghỉ</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Tạm nghỉ</source>
        <comment>state</comment>
        <translation>Paused</translation>
    </message>
    <message>
        <source>Quầy đang tạm nghỉ ({reason}) từ {time}. Nhấn F9 để làm việc lại.</source>
        <translation>The counter is paused ({reason}) since {time}. Press F9 to resume.</translation>
    </message>
    <message>
        <source>gọi trước lượt</source>
        <translation>called out of turn</translation>
    </message>
    <message>
        <source>Thời gian tiếp công dân: {mm:02d}:{ss:02d}</source>
        <translation>Time with the citizen: {mm:02d}:{ss:02d}</translation>
    </message>
    <message>
        <source> → quầy {n}</source>
        <translation> → counter {n}</translation>
    </message>
    <message>
        <source> → cán bộ {name}</source>
        <translation> → clerk {name}</translation>
    </message>
</context>
<context>
    <name>CountersPage</name>
    <message>
        <source>Số quầy:</source>
        <translation>Number of counters:</translation>
    </message>
    <message>
        <source>Nhóm dịch vụ mỗi quầy gọi:</source>
        <translation>Service groups each counter calls:</translation>
    </message>
    <message>
        <source>Nhóm dịch vụ:</source>
        <translation>Service groups:</translation>
    </message>
    <message>
        <source>Lưu các quầy</source>
        <translation>Save counters</translation>
    </message>
    <message>
        <source>Quầy {n}</source>
        <translation>Counter {n}</translation>
    </message>
    <message>
        <source>Đã lưu các quầy.</source>
        <translation>Counters saved.</translation>
    </message>
</context>
<context>
    <name>DisplayWidget</name>
    <message>
        <source>Xin mời quý khách lấy số thứ tự và chờ đến lượt</source>
        <translation>Please take a number and wait for your turn</translation>
    </message>
    <message>
        <source>Quầy {n}: {state}</source>
        <translation>Counter {n}: {state}</translation>
    </message>
    <message>
        <source>Màn hình này đã bị thu hồi khỏi trung tâm nên không còn hiện số được gọi. Hãy báo quản trị viên.</source>
        <translation>This screen was revoked from the center, so it no longer shows the numbers called. Tell the administrator.</translation>
    </message>
    <message>
        <source>Tạm nghỉ ({reason})</source>
        <translation>Paused ({reason})</translation>
    </message>
    <message>
        <source>Giờ làm việc: sáng 7 giờ 30 – 11 giờ 30, chiều 13 giờ 30 – 17 giờ. Công dân tra cứu tình trạng hồ sơ tại kiosk hoặc trên Cổng Dịch vụ công.</source>
        <translation>Opening hours: 7:30 – 11:30 and 13:30 – 17:00. Check your dossier at the kiosk or on the National Public Service Portal.</translation>
    </message>
    <message>
        <source>Mời số {label} đến quầy số {counter}</source>
        <translation>Number {label}, please go to counter {counter}</translation>
    </message>
</context>
<context>
    <name>DossiersView</name>
    <message>
        <source>Hồ sơ</source>
        <translation>Dossiers</translation>
    </message>
    <message>
        <source>Chỉ hồ sơ quá hạn</source>
        <translation>Overdue only</translation>
    </message>
    <message>
        <source>Tìm</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>Mã hồ sơ</source>
        <translation>Dossier code</translation>
    </message>
    <message>
        <source>Người nộp</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>Thủ tục</source>
        <translation>Procedure</translation>
    </message>
    <message>
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Nhận lúc</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>Hẹn trả</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>Hiện cả hồ sơ ngoài khoảng ngày</source>
        <translation>Show those outside the dates too</translation>
    </message>
    <message>
        <source>Chọn một hồ sơ để xem chi tiết.</source>
        <translation>Select a dossier to see its details.</translation>
    </message>
    <message>
        <source>Lý do / ghi chú (bắt buộc khi từ chối, yêu cầu bổ sung hoặc dừng xử lý)</source>
        <translation>Reason / note (required to refuse, request supplements or stop processing)</translation>
    </message>
    <message>
        <source>Xem phiếu in</source>
        <translation>Print preview</translation>
    </message>
    <message>
        <source>In lại phiếu…</source>
        <translation>Print a form again…</translation>
    </message>
    <message>
        <source>Trạng thái:</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>Thủ tục:</source>
        <translation>Procedure:</translation>
    </message>
    <message>
        <source>Nhận từ ngày:</source>
        <translation>Received from:</translation>
    </message>
    <message>
        <source>đến:</source>
        <translation>to:</translation>
    </message>
    <message>
        <source>Chi tiết</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Quá trình xử lý:</source>
        <translation>History:</translation>
    </message>
    <message>
        <source>Mã hồ sơ, số căn cước, điện thoại hoặc họ tên (có dấu hay không)</source>
        <translation>Dossier code, ID number, phone or name (with or without diacritics)</translation>
    </message>
</context>
<context>
    <name>DossiersWidget</name>
    <message>
        <source>Tiếp nhận hồ sơ</source>
        <translation>Accept dossier</translation>
    </message>
    <message>
        <source>Từ chối tiếp nhận</source>
        <translation>Refuse</translation>
    </message>
    <message>
        <source>Chuyển xử lý</source>
        <translation>Send for processing</translation>
    </message>
    <message>
        <source>Yêu cầu bổ sung</source>
        <translation>Request documents</translation>
    </message>
    <message>
        <source>Yêu cầu nộp phí, thuế</source>
        <translation>Request payment</translation>
    </message>
    <message>
        <source>Rút hồ sơ</source>
        <translation>Withdraw</translation>
    </message>
    <message>
        <source>Dừng xử lý</source>
        <translation>Stop processing</translation>
    </message>
    <message>
        <source>Báo đã có kết quả</source>
        <translation>Result is ready</translation>
    </message>
    <message>
        <source>Trả kết quả</source>
        <translation>Return result</translation>
    </message>
    <message>
        <source>Tất cả</source>
        <translation>All</translation>
    </message>
    <message>
        <source>Tất cả thủ tục</source>
        <translation>All procedures</translation>
    </message>
    <message>
        <source>Quá hạn</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>{shown} / {total} hồ sơ: đang hiện {shown} hồ sơ nhận gần nhất; hãy lọc thêm để thấy các hồ sơ khác.</source>
        <translation>{shown} / {total} dossiers: showing the {shown} received last; filter further to see the others.</translation>
    </message>
    <message numerus="yes">
        <source>%n hồ sơ</source>
        <translation>
            <numerusform>%n dossier</numerusform>
            <numerusform>%n dossiers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>còn %n hồ sơ khớp nhưng nhận ngoài khoảng ngày</source>
        <translation>
            <numerusform>%n more match, received outside the dates</numerusform>
            <numerusform>%n more match, received outside the dates</numerusform>
        </translation>
    </message>
    <message>
        <source>tìm mọi ngày nhận, không theo khoảng ngày</source>
        <translation>searched every date received, not only the dates chosen</translation>
    </message>
    <message>
        <source>Chọn một hồ sơ để xem chi tiết.</source>
        <translation>Select a dossier to see its details.</translation>
    </message>
    <message>
        <source>Người nộp: {name} · {phone}</source>
        <translation>Applicant: {name} · {phone}</translation>
    </message>
    <message>
        <source>Nhận: {r} · hẹn trả: {due}</source>
        <translation>Received: {r} · due: {due}</translation>
    </message>
    <message>
        <source>Gia hạn</source>
        <translation>Extended</translation>
    </message>
    <message>
        <source>Giấy tờ đã số hóa: {k}/{n} ({pages} trang)</source>
        <translation>Papers digitised: {k}/{n} ({pages} pages)</translation>
    </message>
    <message>
        <source>{when}  Trả kèm kết quả: {title} · {pages} trang ({who})</source>
        <translation>{when}  Result returned with: {title} · {pages} pages ({who})</translation>
    </message>
    <message>
        <source>Kiểm tra xong, tiếp nhận</source>
        <translation>Checked, accept</translation>
    </message>
    <message>
        <source>Gia hạn, xin lỗi (Mẫu 04)</source>
        <translation>Extend, apologise (Form 04)</translation>
    </message>
    <message>
        <source>Quét giấy tờ kết quả</source>
        <translation>Scan a result paper</translation>
    </message>
    <message>
        <source>Nhập tệp kết quả</source>
        <translation>Import a result file</translation>
    </message>
    <message>
        <source>Hồ sơ {code} sẽ chuyển sang «{status}». Đây là bước cuối cùng, không thể quay lại. Tiếp tục?</source>
        <translation>Dossier {code} will become “{status}”. This is a final step and cannot be undone. Continue?</translation>
    </message>
    <message>
        <source>Không, giữ nguyên</source>
        <translation>No, leave it</translation>
    </message>
    <message>
        <source>Hồ sơ {code}: đã gia hạn, hẹn trả mới {due}.</source>
        <translation>Dossier {code}: extended, new due date {due}.</translation>
    </message>
    <message>
        <source>Hồ sơ {code}: {status}.</source>
        <translation>Dossier {code}: {status}.</translation>
    </message>
    <message>
        <source>Gia hạn hẹn trả từ {old} đến {new}. Lý do: {reason}</source>
        <translation>Due date extended from {old} to {new}. Reason: {reason}</translation>
    </message>
</context>
<context>
    <name>ExtendDialog</name>
    <message>
        <source>Gia hạn thời gian giải quyết</source>
        <translation>Extend the processing time</translation>
    </message>
    <message>
        <source>Hồ sơ {code}, hẹn trả {due}. Chương trình sẽ in Văn bản xin lỗi và đề nghị gia hạn (Mẫu 04) để gửi Ông/Bà {name}.</source>
        <translation>Dossier {code}, due {due}. The program prints the apology and extension letter (Form 04) for {name}.</translation>
    </message>
    <message>
        <source>Lý do chậm trễ (in trên văn bản gửi công dân)</source>
        <translation>Reason for the delay (printed on the letter to the citizen)</translation>
    </message>
    <message>
        <source>Gia hạn và in Mẫu 04</source>
        <translation>Extend and print Form 04</translation>
    </message>
    <message>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Hẹn trả mới:</source>
        <translation>New due date:</translation>
    </message>
    <message>
        <source>Lý do:</source>
        <translation>Reason:</translation>
    </message>
    <message>
        <source>Ngày giờ hẹn trả phải có dạng giờ:phút ngày/tháng/năm, ví dụ 16:30 08/05/2026.</source>
        <translation>The due date is written hour:minute day/month/year, e.g. 16:30 08/05/2026.</translation>
    </message>
</context>
<context>
    <name>FirstRunWidget</name>
    <message>
        <source>Thiết lập lần đầu</source>
        <translation>First-time setup</translation>
    </message>
    <message>
        <source>ví dụ 000.00.01.H22</source>
        <translation>e.g. 000.00.01.H22</translation>
    </message>
    <message>
        <source>in trên các phiếu, ví dụ Nguyễn Văn An</source>
        <translation>printed on the forms, e.g. Nguyễn Văn An</translation>
    </message>
    <message>
        <source>ví dụ Công chức Văn phòng - Thống kê</source>
        <translation>e.g. Office and statistics officer</translation>
    </message>
    <message>
        <source>ví dụ tcp://192.168.1.50:9100 (có thể để trống)</source>
        <translation>e.g. tcp://192.168.1.50:9100 (may be left empty)</translation>
    </message>
    <message>
        <source>để trống nếu chỉ làm việc ngoại tuyến</source>
        <translation>leave empty to work offline only</translation>
    </message>
    <message>
        <source>Tên Trung tâm:</source>
        <translation>Center name:</translation>
    </message>
    <message>
        <source>Mã định danh cơ quan:</source>
        <translation>Agency code:</translation>
    </message>
    <message>
        <source>Tài khoản quản trị:</source>
        <translation>Admin account:</translation>
    </message>
    <message>
        <source>Họ và tên:</source>
        <translation>Full name:</translation>
    </message>
    <message>
        <source>Chức danh:</source>
        <translation>Title:</translation>
    </message>
    <message>
        <source>Mật khẩu:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <source>Nhập lại mật khẩu:</source>
        <translation>Repeat password:</translation>
    </message>
    <message>
        <source>Số quầy tiếp nhận:</source>
        <translation>Number of counters:</translation>
    </message>
    <message>
        <source>Máy in phiếu:</source>
        <translation>Slip printer:</translation>
    </message>
    <message>
        <source>Địa chỉ Cổng dịch vụ công:</source>
        <translation>Public service portal address:</translation>
    </message>
    <message>
        <source>Trung tâm</source>
        <translation>Center</translation>
    </message>
    <message>
        <source>Quản trị viên</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>Quầy</source>
        <translation>Counters</translation>
    </message>
    <message>
        <source>Máy in</source>
        <translation>Printer</translation>
    </message>
    <message>
        <source>Kết nối Cổng</source>
        <translation>Portal link</translation>
    </message>
    <message>
        <source>Mật khẩu dữ liệu:</source>
        <translation>Data passphrase:</translation>
    </message>
    <message>
        <source>Nhập lại mật khẩu dữ liệu:</source>
        <translation>Repeat the data passphrase:</translation>
    </message>
    <message>
        <source>Bảo vệ dữ liệu</source>
        <translation>Data protection</translation>
    </message>
    <message>
        <source>Máy này không có kho khóa của hệ điều hành. Dữ liệu của công dân được mã hóa bằng mật khẩu dữ liệu (ít nhất 8 ký tự); cần nhập mật khẩu này mỗi khi mở chương trình.</source>
        <translation>This computer has no operating-system keyring. Citizens&apos; data is encrypted with a data passphrase (at least 8 characters), needed each time the program opens.</translation>
    </message>
    <message>
        <source>Quay lại</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>Tiếp</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>Mã khôi phục dưới đây là cách duy nhất mở lại dữ liệu nếu quên mật khẩu dữ liệu hoặc thay máy. Hãy chép ra giấy và cất ở nơi an toàn. Mã chỉ hiện MỘT lần.</source>
        <translation>The recovery code below is the only way back into the data if the data passphrase is forgotten or the computer is replaced. Write it on paper and keep it somewhere safe. It is shown ONCE.</translation>
    </message>
    <message>
        <source>Tôi đã chép mã khôi phục ra giấy</source>
        <translation>I have written the recovery code down</translation>
    </message>
    <message>
        <source>Hoàn tất</source>
        <translation>Finish</translation>
    </message>
    <message>
        <source>Bước {n}/{total}: {title}</source>
        <translation>Step {n}/{total}: {title}</translation>
    </message>
    <message>
        <source>Mã khôi phục dữ liệu</source>
        <translation>Data recovery code</translation>
    </message>
    <message>
        <source>Bắt đầu làm việc</source>
        <translation>Start working</translation>
    </message>
    <message>
        <source>Hai mật khẩu không giống nhau.</source>
        <translation>The two passwords differ.</translation>
    </message>
    <message>
        <source>Mật khẩu dữ liệu phải có ít nhất 8 ký tự.</source>
        <translation>The data passphrase must have at least 8 characters.</translation>
    </message>
    <message>
        <source>Hai mật khẩu dữ liệu không giống nhau.</source>
        <translation>The two data passphrases differ.</translation>
    </message>
    <message>
        <source>Địa chỉ Cổng phải bắt đầu bằng https:// (hoặc http:// khi thử nghiệm).</source>
        <translation>The portal address must start with https:// (or http:// for tests).</translation>
    </message>
    <message>
        <source>Địa chỉ máy in không hợp lệ (ví dụ tcp://192.168.1.50:9100).</source>
        <translation>Invalid printer address (e.g. tcp://192.168.1.50:9100).</translation>
    </message>
</context>
<context>
    <name>HoursPage</name>
    <message>
        <source>Thứ Hai</source>
        <translation>Monday</translation>
    </message>
    <message>
        <source>Thứ Ba</source>
        <translation>Tuesday</translation>
    </message>
    <message>
        <source>Thứ Tư</source>
        <translation>Wednesday</translation>
    </message>
    <message>
        <source>Thứ Năm</source>
        <translation>Thursday</translation>
    </message>
    <message>
        <source>Thứ Sáu</source>
        <translation>Friday</translation>
    </message>
    <message>
        <source>Thứ Bảy</source>
        <translation>Saturday</translation>
    </message>
    <message>
        <source>Chủ nhật</source>
        <translation>Sunday</translation>
    </message>
    <message>
        <source>nghỉ (để trống)</source>
        <translation>closed (leave empty)</translation>
    </message>
    <message>
        <source>Lưu giờ làm việc</source>
        <translation>Save opening hours</translation>
    </message>
    <message>
        <source>Ví dụ: 07:30-11:30, 13:30-17:00</source>
        <translation>E.g. 07:30-11:30, 13:30-17:00</translation>
    </message>
    <message>
        <source>Đã lưu giờ làm việc.</source>
        <translation>Opening hours saved.</translation>
    </message>
    <message>
        <source>nghỉ</source>
        <translation>closed</translation>
    </message>
    <message>
        <source>Ngày nghỉ, ngày làm bù:</source>
        <translation>Days off, swapped working days:</translation>
    </message>
    <message>
        <source>Ngày nghỉ</source>
        <translation>Day off</translation>
    </message>
    <message>
        <source>Ngày làm việc</source>
        <translation>Working day</translation>
    </message>
    <message>
        <source>Ghi chú, ví dụ số văn bản</source>
        <translation>Note, e.g. the decision number</translation>
    </message>
    <message>
        <source>Thêm</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>Thêm ngày:</source>
        <translation>Add a day:</translation>
    </message>
    <message>
        <source>làm việc</source>
        <translation>working</translation>
    </message>
    <message>
        <source>Đã lưu ngày {d}.</source>
        <translation>Saved {d}.</translation>
    </message>
</context>
<context>
    <name>IntakePapers</name>
    <message>
        <source>Chọn tệp giấy tờ đã quét</source>
        <translation>Choose the scanned paper&apos;s files</translation>
    </message>
    <message>
        <source>Đang số hóa…</source>
        <translation>Digitising…</translation>
    </message>
    <message>
        <source>đã số hóa · {n} trang</source>
        <translation>digitised · {n} pages</translation>
    </message>
    <message>
        <source>⚠ Đã nhận nhưng chưa số hóa</source>
        <translation>⚠ Received but not digitised</translation>
    </message>
    <message>
        <source>Chưa số hóa</source>
        <translation>Not digitised</translation>
    </message>
</context>
<context>
    <name>IntakePrinter</name>
    <message>
        <source>Đã in: {title}</source>
        <translation>Printed: {title}</translation>
    </message>
</context>
<context>
    <name>IntakeView</name>
    <message>
        <source>Tiếp nhận hồ sơ</source>
        <translation>Receive dossier</translation>
    </message>
    <message>
        <source>Chưa chọn thủ tục.</source>
        <translation>No procedure chosen.</translation>
    </message>
    <message>
        <source>Giấy tờ</source>
        <translation>Document</translation>
    </message>
    <message>
        <source>Hình thức</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>Số bản</source>
        <translation>Copies</translation>
    </message>
    <message>
        <source>Nhận</source>
        <translation>Got</translation>
    </message>
    <message>
        <source>Số hóa</source>
        <translation>Digitised</translation>
    </message>
    <message>
        <source>12 chữ số</source>
        <translation>12 digits</translation>
    </message>
    <message>
        <source>— chưa chọn —</source>
        <translation>— not chosen —</translation>
    </message>
    <message>
        <source>Nam</source>
        <translation>Male</translation>
    </message>
    <message>
        <source>Nữ</source>
        <translation>Female</translation>
    </message>
    <message>
        <source>ví dụ 0912 345 678</source>
        <translation>e.g. 0912 345 678</translation>
    </message>
    <message>
        <source>Cần xác minh (cộng thêm thời gian)</source>
        <translation>Needs verification (extra time)</translation>
    </message>
    <message>
        <source>Lý do hoặc giấy tờ cần bổ sung (bắt buộc khi từ chối hay yêu cầu bổ sung)</source>
        <translation>Reason or documents to add (required to refuse or request supplements)</translation>
    </message>
    <message>
        <source>Tiếp nhận và in giấy hẹn</source>
        <translation>Accept and print the slip</translation>
    </message>
    <message>
        <source>Yêu cầu bổ sung</source>
        <translation>Request supplements</translation>
    </message>
    <message>
        <source>Từ chối tiếp nhận</source>
        <translation>Refuse</translation>
    </message>
    <message>
        <source>Làm mới</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>1. Thủ tục</source>
        <translation>1. Procedure</translation>
    </message>
    <message>
        <source>2. Thành phần hồ sơ</source>
        <translation>2. Documents</translation>
    </message>
    <message>
        <source>3. Người nộp hồ sơ</source>
        <translation>3. Applicant</translation>
    </message>
    <message>
        <source>Quét thẻ căn cước:</source>
        <translation>Scan ID card:</translation>
    </message>
    <message>
        <source>Họ và tên:</source>
        <translation>Full name:</translation>
    </message>
    <message>
        <source>Số căn cước:</source>
        <translation>ID number:</translation>
    </message>
    <message>
        <source>Ngày sinh:</source>
        <translation>Date of birth:</translation>
    </message>
    <message>
        <source>Giới tính:</source>
        <translation>Sex:</translation>
    </message>
    <message>
        <source>Điện thoại:</source>
        <translation>Phone:</translation>
    </message>
    <message>
        <source>Địa chỉ:</source>
        <translation>Address:</translation>
    </message>
    <message>
        <source>Thư điện tử:</source>
        <translation>Email:</translation>
    </message>
    <message>
        <source>4. Hẹn trả và quyết định</source>
        <translation>4. Appointment and decision</translation>
    </message>
    <message>
        <source>Số bộ:</source>
        <translation>Sets:</translation>
    </message>
    <message>
        <source>Nhận kết quả:</source>
        <translation>Result returned:</translation>
    </message>
    <message>
        <source>Lệ phí:</source>
        <translation>Fee:</translation>
    </message>
    <message>
        <source>Hẹn trả kết quả:</source>
        <translation>Result due:</translation>
    </message>
    <message>
        <source>Tên hoặc mã thủ tục, có dấu hay không (ví dụ: khai sinh)</source>
        <translation>Procedure name or code, with or without diacritics (e.g. khai sinh)</translation>
    </message>
    <message>
        <source>Quét mã QR trên thẻ căn cước</source>
        <translation>Scan the QR code on the ID card</translation>
    </message>
    <message>
        <source>ví dụ 05/03/1990</source>
        <translation>e.g. 05/03/1990</translation>
    </message>
</context>
<context>
    <name>IntakeWidget</name>
    <message>
        <source>Soạn trước hồ sơ (tình nguyện viên)</source>
        <translation>Pre-fill a dossier (volunteer)</translation>
    </message>
    <message>
        <source>Lưu bản nháp cho cán bộ kiểm tra  [Ctrl+Enter]</source>
        <translation>Save draft for a clerk to check  [Ctrl+Enter]</translation>
    </message>
    <message>
        <source>Tại Bộ phận Một cửa</source>
        <translation>At the one-stop counter</translation>
    </message>
    <message>
        <source>Qua dịch vụ bưu chính</source>
        <translation>By post</translation>
    </message>
    <message>
        <source>Trực tuyến</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Bản chính</source>
        <translation>Original</translation>
    </message>
    <message>
        <source>Bản sao</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>Bản sao có chứng thực</source>
        <translation>Certified copy</translation>
    </message>
    <message>
        <source>Bản chính hoặc bản sao</source>
        <translation>Original or copy</translation>
    </message>
    <message>
        <source>Xuất trình bản chính</source>
        <translation>Show the original</translation>
    </message>
    <message>
        <source>Công dân số {label}</source>
        <translation>Citizen {label}</translation>
    </message>
    <message>
        <source>Không tìm thấy thủ tục nào cho «{text}»: đã bỏ thủ tục đã chọn trước đó. Hãy gõ cách gọi khác hoặc mã thủ tục.</source>
        <translation>No procedure found for “{text}”: the procedure chosen before was dropped. Type another name for it or the procedure code.</translation>
    </message>
    <message>
        <source>Không tìm thấy thủ tục nào cho «{text}». Hãy gõ cách gọi khác hoặc mã thủ tục.</source>
        <translation>No procedure found for “{text}”. Type another name for it or the procedure code.</translation>
    </message>
    <message>
        <source>Chưa chọn thủ tục.</source>
        <translation>No procedure chosen.</translation>
    </message>
    <message>
        <source>trong ngày</source>
        <translation>same day</translation>
    </message>
    <message>
        <source>{n} ngày làm việc</source>
        <translation>working days: {n}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt;&lt;br&gt;Mã {code} · {sector} · thời hạn giải quyết: {time}</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt;&lt;br&gt;Code {code} · {sector} · processing time: {time}</translation>
    </message>
    <message>
        <source>Không thu</source>
        <translation>Free</translation>
    </message>
    <message>
        <source>Cán bộ tính khi tiếp nhận</source>
        <translation>Set by the clerk on acceptance</translation>
    </message>
    <message>
        <source>thứ Hai</source>
        <translation>Monday</translation>
    </message>
    <message>
        <source>thứ Ba</source>
        <translation>Tuesday</translation>
    </message>
    <message>
        <source>thứ Tư</source>
        <translation>Wednesday</translation>
    </message>
    <message>
        <source>thứ Năm</source>
        <translation>Thursday</translation>
    </message>
    <message>
        <source>thứ Sáu</source>
        <translation>Friday</translation>
    </message>
    <message>
        <source>thứ Bảy</source>
        <translation>Saturday</translation>
    </message>
    <message>
        <source>Chủ nhật</source>
        <translation>Sunday</translation>
    </message>
    <message>
        <source>{hh} giờ {mm} phút, {weekday} ngày {day}</source>
        <translation>{hh}:{mm}, {weekday} {day}</translation>
    </message>
    <message>
        <source>Ngày sinh phải có dạng ngày/tháng/năm, ví dụ 05/03/1990.</source>
        <translation>The date of birth must be day/month/year, e.g. 05/03/1990.</translation>
    </message>
    <message>
        <source>Hãy chọn thủ tục trước.</source>
        <translation>Choose a procedure first.</translation>
    </message>
    <message>
        <source>Hồ sơ chưa được lưu: hãy sửa các ô có thông báo đỏ.</source>
        <translation>Nothing saved: correct the fields with a red message.</translation>
    </message>
    <message>
        <source>Đang số hóa giấy tờ: chờ xong rồi lưu hồ sơ.</source>
        <translation>Papers are being digitised: wait until they are done, then save the dossier.</translation>
    </message>
    <message>
        <source>Đã lưu bản nháp {code}; cán bộ sẽ kiểm tra và tiếp nhận.</source>
        <translation>Draft {code} saved; a clerk will check and accept it.</translation>
    </message>
    <message>
        <source>Đã tiếp nhận hồ sơ {code}.</source>
        <translation>Dossier {code} received.</translation>
    </message>
    <message>
        <source>Đã ghi hồ sơ {code}: {status}.</source>
        <translation>Dossier {code} recorded: {status}.</translation>
    </message>
    <message>
        <source>{paper} (nếu có)</source>
        <translation>{paper} (if any)</translation>
    </message>
</context>
<context>
    <name>KioskView</name>
    <message>
        <source>Tra cứu hồ sơ</source>
        <translation>Look up a dossier</translation>
    </message>
    <message>
        <source>Quay lại</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>Xin mời Quý khách chạm vào lĩnh vực cần giải quyết để lấy số</source>
        <translation>Please touch the service you need to take a number</translation>
    </message>
    <message>
        <source>Xem hồ sơ đã nộp đến đâu</source>
        <translation>See how far your file has got</translation>
    </message>
    <message>
        <source>Quý khách có thuộc diện ưu tiên không?</source>
        <translation>Do you belong to a priority group?</translation>
    </message>
    <message>
        <source>Không, lấy số thường</source>
        <translation>No, an ordinary ticket</translation>
    </message>
    <message>
        <source>Số thứ tự của Quý khách</source>
        <translation>Your number</translation>
    </message>
    <message>
        <source>Xong</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>Nhập hoặc quét mã hồ sơ ghi trên giấy hẹn</source>
        <translation>Type or scan the dossier code on your slip</translation>
    </message>
    <message>
        <source>Tra cứu</source>
        <translation>Look up</translation>
    </message>
</context>
<context>
    <name>KioskWidget</name>
    <message>
        <source>Đã chọn: {name}. Xin mời chạm vào lĩnh vực (chạm lại ô đỏ để bỏ chọn).</source>
        <translation>Chosen: {name}. Please touch a service (touch the red box again to undo).</translation>
    </message>
    <message>
        <source>Quý khách thuộc diện ưu tiên? Xin chạm chọn trước:</source>
        <translation>Do you have priority? Please touch it first:</translation>
    </message>
    <message>
        <source>Ưu tiên: {name}</source>
        <translation>Priority: {name}</translation>
    </message>
    <message numerus="yes">
        <source>Có %n người đang chờ trước Quý khách</source>
        <translation>
            <numerusform>%n person is ahead of you</numerusform>
            <numerusform>%n people are ahead of you</numerusform>
        </translation>
    </message>
    <message>
        <source>Quý khách là người tiếp theo</source>
        <translation>You are next</translation>
    </message>
    <message>
        <source>Đang in phiếu…</source>
        <translation>Printing your ticket…</translation>
    </message>
    <message>
        <source>số {label}</source>
        <translation>ticket {label}</translation>
    </message>
    <message>
        <source>Vui lòng nhận phiếu và chờ đến khi số của Quý khách được gọi trên màn hình.</source>
        <translation>Please take your ticket and wait until your number is called on the screen.</translation>
    </message>
    <message>
        <source>Quý khách hãy ghi nhớ số {label} và chờ đến khi số được gọi trên màn hình.</source>
        <translation>Please remember your number {label} and wait until it is called on the screen.</translation>
    </message>
    <message>
        <source>Hồ sơ &lt;b&gt;{code}&lt;/b&gt;</source>
        <translation>Dossier &lt;b&gt;{code}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Trạng thái: &lt;b&gt;{status}&lt;/b&gt;</source>
        <translation>Status: &lt;b&gt;{status}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Hẹn trả kết quả: &lt;b&gt;{due}&lt;/b&gt;</source>
        <translation>Result due: &lt;b&gt;{due}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Hồ sơ đã quá hạn; xin mời đến quầy để được giải thích.</source>
        <translation>This dossier is overdue; please ask at the counter.</translation>
    </message>
</context>
<context>
    <name>LanguagePage</name>
    <message>
        <source>Lưu</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Ngôn ngữ giao diện:</source>
        <translation>Interface language:</translation>
    </message>
    <message>
        <source>Ngôn ngữ đã chọn có hiệu lực sau khi khởi động lại chương trình (đóng rồi mở lại), trên máy này và ở dòng lệnh.</source>
        <translation>The chosen language applies after the program restarts (close it and open it again), on this PC and on the command line.</translation>
    </message>
    <message>
        <source>Đã lưu. Hãy khởi động lại chương trình (đóng rồi mở lại) để dùng ngôn ngữ mới.</source>
        <translation>Saved. Restart the program (close it and open it again) to use the new language.</translation>
    </message>
    <message>
        <source>Đã lưu ngôn ngữ giao diện.</source>
        <translation>Interface language saved.</translation>
    </message>
</context>
<context>
    <name>Launcher</name>
    <message>
        <source>Đang chuẩn bị dữ liệu mẫu (lần đầu mất khoảng nửa phút)…</source>
        <translation>Preparing the demo data (about half a minute the first time)…</translation>
    </message>
    <message>
        <source>Chương trình đã mở trên thư mục dữ liệu này; cửa sổ đang chạy được đưa lên trước.</source>
        <translation>The program is already open on this data folder; its window was brought to the front.</translation>
    </message>
    <message>
        <source>Chương trình đang mở trên thư mục dữ liệu này nhưng không trả lời. Hãy đóng nó (hoặc khởi động lại máy) rồi mở lại.</source>
        <translation>The program is already open on this data folder but does not answer. Close it (or restart the computer) and open it again.</translation>
    </message>
</context>
<context>
    <name>LoginWidget</name>
    <message>
        <source>Đăng nhập</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>Đang mở dữ liệu…</source>
        <translation>Opening the data…</translation>
    </message>
    <message>
        <source>Tên đăng nhập:</source>
        <translation>Username:</translation>
    </message>
    <message>
        <source>Mật khẩu:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <source>Vai trò</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Tên đăng nhập</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>Mật khẩu</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Dữ liệu mẫu – các tài khoản thử:</source>
        <translation>Demo data – accounts to try:</translation>
    </message>
    <message>
        <source>Màn hình đã khóa</source>
        <translation>Screen locked</translation>
    </message>
    <message>
        <source>Màn hình đang khóa cho tài khoản khác.</source>
        <translation>The screen is locked for another account.</translation>
    </message>
</context>
<context>
    <name>Online</name>
    <message>
        <source>Nộp lại lần {n}</source>
        <translation>Resubmitted ({n})</translation>
    </message>
    <message>
        <source>Đã quá hạn</source>
        <translation>Late</translation>
    </message>
    <message>
        <source>Gấp: hạn {when}</source>
        <translation>Urgent: due {when}</translation>
    </message>
    <message>
        <source>Quá hạn {time}</source>
        <translation>Late by {time}</translation>
    </message>
    <message>
        <source>Gấp: còn {time}</source>
        <translation>Urgent: {time} left</translation>
    </message>
    <message>
        <source>Sắp hết: còn {time}</source>
        <translation>Due soon: {time} left</translation>
    </message>
    <message>
        <source>Còn {time}</source>
        <translation>{time} left</translation>
    </message>
    <message numerus="yes">
        <source>%n phút</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n giờ</source>
        <translation>
            <numerusform>%n h</numerusform>
            <numerusform>%n h</numerusform>
        </translation>
    </message>
    <message>
        <source>{h} giờ {m} phút</source>
        <translation>{h} h {m} min</translation>
    </message>
</context>
<context>
    <name>OnlineReasonDialog</name>
    <message>
        <source>Yêu cầu bổ sung hồ sơ trực tuyến</source>
        <translation>Ask for supplements to an online dossier</translation>
    </message>
    <message>
        <source>Hồ sơ «{procedure}» của Ông/Bà {name}: ghi rõ giấy tờ còn thiếu hoặc cần sửa. Nội dung này in trên Phiếu yêu cầu bổ sung (Mẫu 02) và gửi cho công dân qua Cổng.</source>
        <translation>Dossier “{procedure}” of {name}: write which papers are missing or need correcting. This text is printed on the supplement request (Form 02) and sent to the citizen through the portal.</translation>
    </message>
    <message>
        <source>Giấy tờ cần bổ sung, hoàn thiện (bắt buộc)</source>
        <translation>Papers to add or correct (required)</translation>
    </message>
    <message>
        <source>Gửi yêu cầu và in Mẫu 02</source>
        <translation>Send the request and print Form 02</translation>
    </message>
    <message>
        <source>Từ chối hồ sơ trực tuyến</source>
        <translation>Refuse an online dossier</translation>
    </message>
    <message>
        <source>Hồ sơ «{procedure}» của Ông/Bà {name}: ghi rõ lý do từ chối. Lý do in trên Phiếu từ chối (Mẫu 03) và gửi cho công dân qua Cổng.</source>
        <translation>Dossier “{procedure}” of {name}: write the reason for the refusal. It is printed on the refusal (Form 03) and sent to the citizen through the portal.</translation>
    </message>
    <message>
        <source>Lý do từ chối (bắt buộc)</source>
        <translation>Reason for the refusal (required)</translation>
    </message>
    <message>
        <source>Từ chối và in Mẫu 03</source>
        <translation>Refuse and print Form 03</translation>
    </message>
    <message>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Cần ghi rõ giấy tờ còn thiếu trước khi gửi yêu cầu bổ sung.</source>
        <translation>Write which papers are missing before sending the request.</translation>
    </message>
    <message>
        <source>Cần ghi rõ lý do trước khi từ chối hồ sơ.</source>
        <translation>Write the reason before refusing the dossier.</translation>
    </message>
    <message>
        <source>Từ chối hồ sơ của Ông/Bà {name}? Hồ sơ kết thúc, công dân nhận lý do qua Cổng; không thể quay lại.</source>
        <translation>Refuse the dossier of {name}? The dossier ends and the citizen receives the reason through the portal; this cannot be undone.</translation>
    </message>
    <message>
        <source>Từ chối hồ sơ</source>
        <translation>Refuse the dossier</translation>
    </message>
    <message>
        <source>Không, quay lại</source>
        <translation>No, go back</translation>
    </message>
</context>
<context>
    <name>OnlineView</name>
    <message>
        <source>Hồ sơ trực tuyến</source>
        <translation>Online dossiers</translation>
    </message>
    <message>
        <source>Người nộp</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>Thủ tục</source>
        <translation>Procedure</translation>
    </message>
    <message>
        <source>Lần nộp</source>
        <translation>Submission</translation>
    </message>
    <message>
        <source>Thời hạn kiểm tra</source>
        <translation>Time left to check</translation>
    </message>
    <message>
        <source>Xem giấy tờ</source>
        <translation>View paper</translation>
    </message>
    <message>
        <source>Tiếp nhận, in giấy hẹn</source>
        <translation>Accept, print the receipt</translation>
    </message>
    <message>
        <source>Yêu cầu bổ sung…</source>
        <translation>Ask for supplements…</translation>
    </message>
    <message>
        <source>Từ chối…</source>
        <translation>Refuse…</translation>
    </message>
    <message>
        <source>Làm mới</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Hồ sơ đang chọn</source>
        <translation>Chosen dossier</translation>
    </message>
    <message>
        <source>Giấy tờ công dân đã nộp (Enter để xem):</source>
        <translation>Papers the citizen submitted (Enter to view):</translation>
    </message>
</context>
<context>
    <name>OnlineWidget</name>
    <message>
        <source>Không đọc được danh sách hồ sơ trực tuyến.</source>
        <translation>The list of online dossiers could not be read.</translation>
    </message>
    <message>
        <source>Không có hồ sơ trực tuyến nào chờ kiểm tra.
Hồ sơ công dân nộp trên Cổng dịch vụ công sẽ hiện ở đây sau mỗi lần đồng bộ.</source>
        <translation>No online dossier is waiting for a check.
Dossiers citizens file on the public service portal appear here after each sync.</translation>
    </message>
    <message numerus="yes">
        <source>%n hồ sơ chờ kiểm tra</source>
        <translation>
            <numerusform>%n dossier waiting for a check</numerusform>
            <numerusform>%n dossiers waiting for a check</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hồ sơ đã quá hạn kiểm tra</source>
        <translation>
            <numerusform>%n dossier past its check deadline</numerusform>
            <numerusform>%n dossiers past their check deadline</numerusform>
        </translation>
    </message>
    <message>
        <source>Chọn một hồ sơ trong danh sách để xem giấy tờ.</source>
        <translation>Choose a dossier in the list to see its papers.</translation>
    </message>
    <message>
        <source>Mã hồ sơ trên Cổng: {code}</source>
        <translation>Portal code: {code}</translation>
    </message>
    <message>
        <source>Nộp lúc {when}</source>
        <translation>Submitted {when}</translation>
    </message>
    <message>
        <source>Hạn kiểm tra: {when}</source>
        <translation>Check due: {when}</translation>
    </message>
    <message numerus="yes">
        <source>{title} · %n trang</source>
        <translation>
            <numerusform>{title} · %n page</numerusform>
            <numerusform>{title} · %n pages</numerusform>
        </translation>
    </message>
    <message>
        <source>Công dân chưa đính kèm giấy tờ nào.</source>
        <translation>The citizen attached no paper.</translation>
    </message>
    <message>
        <source>Đã tiếp nhận hồ sơ {code} của Ông/Bà {name}; in giấy hẹn (Mẫu 01).</source>
        <translation>Dossier {code} of {name} accepted; printing the receipt (Form 01).</translation>
    </message>
    <message>
        <source>Đã gửi yêu cầu bổ sung hồ sơ {code} của Ông/Bà {name}; in Mẫu 02.</source>
        <translation>Supplements asked for dossier {code} of {name}; printing Form 02.</translation>
    </message>
    <message>
        <source>Đã từ chối hồ sơ {code} của Ông/Bà {name}; in Mẫu 03.</source>
        <translation>Dossier {code} of {name} refused; printing Form 03.</translation>
    </message>
</context>
<context>
    <name>Operation</name>
    <message>
        <source>Không thực hiện được do lỗi không mong đợi; không có gì bị ghi dở. Chi tiết đã ghi vào nhật ký: hãy báo quản trị viên.</source>
        <translation>Not done: an unexpected error; nothing was half-written. The details are in the log: tell the admin.</translation>
    </message>
</context>
<context>
    <name>OutcomeDialog</name>
    <message>
        <source>Số đang gọi chưa kết thúc</source>
        <translation>The called ticket is still open</translation>
    </message>
    <message>
        <source>Số {label} đã được gọi nhưng chưa bắt đầu phục vụ. Công dân đã được phục vụ xong, hay vắng mặt? Sau đó sẽ gọi số tiếp theo.</source>
        <translation>Ticket {label} was called but service has not started. Was the citizen served, or absent? The next ticket is called after that.</translation>
    </message>
    <message>
        <source>Đã phục vụ xong</source>
        <translation>Served</translation>
    </message>
    <message>
        <source>Vắng mặt</source>
        <translation>Absent</translation>
    </message>
    <message>
        <source>Chưa gọi số mới</source>
        <translation>Do not call yet</translation>
    </message>
</context>
<context>
    <name>PaperCell</name>
    <message>
        <source>Quét</source>
        <translation>Scan</translation>
    </message>
    <message>
        <source>Quét thêm một trang từ máy quét (xám, 200 dpi)</source>
        <translation>Scan one more page from the scanner (grey, 200 dpi)</translation>
    </message>
    <message>
        <source>Quét màu (ảnh, con dấu đỏ)</source>
        <translation>Scan in colour (photo, red seal)</translation>
    </message>
    <message>
        <source>Tệp…</source>
        <translation>File…</translation>
    </message>
    <message>
        <source>Nhập tệp PDF, JPEG hoặc PNG đã quét (hoặc kéo thả tệp vào đây)</source>
        <translation>Import a scanned PDF, JPEG or PNG file (or drop files here)</translation>
    </message>
    <message>
        <source>Bỏ các trang đã số hóa của giấy tờ này</source>
        <translation>Drop this paper&apos;s digitised pages</translation>
    </message>
</context>
<context>
    <name>PaperViewer</name>
    <message>
        <source>Giấy tờ: {title}</source>
        <translation>Paper: {title}</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Không đọc được tệp này (không phải PDF hoặc tệp hỏng). Hãy yêu cầu công dân nộp lại giấy tờ này.</source>
        <translation>This file cannot be read (not a PDF, or damaged). Ask the citizen to submit this paper again.</translation>
    </message>
    <message numerus="yes">
        <source>%n trang · dùng phím mũi tên hoặc Page Up/Page Down để xem</source>
        <translation>
            <numerusform>%n page · arrows or Page Up/Page Down to read</numerusform>
            <numerusform>%n pages · arrows or Page Up/Page Down to read</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PauseDialog</name>
    <message>
        <source>Tạm nghỉ quầy số {n}</source>
        <translation>Pause counter {n}</translation>
    </message>
    <message>
        <source>Trong lúc tạm nghỉ, quầy không gọi số. Nhấn F9 để làm việc lại.</source>
        <translation>While paused, the counter calls nobody. Press F9 to resume.</translation>
    </message>
    <message>
        <source>Tạm nghỉ</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>PortalPage</name>
    <message>
        <source>Địa chỉ Cổng:</source>
        <translation>Portal address:</translation>
    </message>
    <message>
        <source>chưa lần nào</source>
        <translation>never</translation>
    </message>
    <message>
        <source>Đồng bộ thành công gần nhất:</source>
        <translation>Last successful sync:</translation>
    </message>
    <message>
        <source>Giao diện riêng của chương trình (reference)</source>
        <translation>The program&apos;s own interface (reference)</translation>
    </message>
    <message>
        <source>Cổng Dịch vụ công quốc gia (dvcqg)</source>
        <translation>National Public Service Portal (dvcqg)</translation>
    </message>
    <message>
        <source>Hệ thống một cửa tỉnh qua LGSP (motcua)</source>
        <translation>Provincial one-door system via the LGSP (motcua)</translation>
    </message>
    <message>
        <source>Chuẩn kết nối:</source>
        <translation>Interface:</translation>
    </message>
    <message>
        <source>để trống nếu chỉ làm việc ngoại tuyến</source>
        <translation>leave empty to work offline only</translation>
    </message>
    <message>
        <source>ví dụ 000.00.01.H22</source>
        <translation>e.g. 000.00.01.H22</translation>
    </message>
    <message>
        <source>mặc định /auth</source>
        <translation>default /auth</translation>
    </message>
    <message>
        <source>mặc định /integration</source>
        <translation>default /integration</translation>
    </message>
    <message>
        <source>Tên đăng nhập:</source>
        <translation>User name:</translation>
    </message>
    <message>
        <source>Mật khẩu / khóa bí mật:</source>
        <translation>Password / client secret:</translation>
    </message>
    <message>
        <source>Mã đơn vị:</source>
        <translation>Unit code:</translation>
    </message>
    <message>
        <source>Mã hệ thống (dstcode):</source>
        <translation>System code (dstcode):</translation>
    </message>
    <message>
        <source>Mã ứng dụng (client id):</source>
        <translation>Client id:</translation>
    </message>
    <message>
        <source>Đường dẫn đăng nhập:</source>
        <translation>Login path:</translation>
    </message>
    <message>
        <source>Đường dẫn tích hợp:</source>
        <translation>Integration path:</translation>
    </message>
    <message>
        <source>Lưu kết nối</source>
        <translation>Save the link</translation>
    </message>
    <message>
        <source>Kiểm tra kết nối</source>
        <translation>Test the connection</translation>
    </message>
    <message>
        <source>Bản ghi chờ đồng bộ:</source>
        <translation>Records waiting to sync:</translation>
    </message>
    <message>
        <source>Đồng bộ ngay</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>để trống để giữ mật khẩu đã lưu</source>
        <translation>leave empty to keep the saved password</translation>
    </message>
    <message>
        <source>Đã lưu kết nối Cổng.</source>
        <translation>Portal link saved.</translation>
    </message>
    <message>
        <source>Đang kiểm tra kết nối…</source>
        <translation>Testing the connection…</translation>
    </message>
    <message>
        <source>{n} (cũ nhất {age})</source>
        <translation>{n} (oldest {age})</translation>
    </message>
    <message numerus="yes">
        <source> · %Ln khác biệt với Cổng cần xem</source>
        <translation>
            <numerusform> · %Ln difference with the portal to review</numerusform>
            <numerusform> · %Ln differences with the portal to review</numerusform>
        </translation>
    </message>
    <message>
        <source>Hãy nhập và lưu địa chỉ Cổng trước.</source>
        <translation>Enter and save the portal address first.</translation>
    </message>
    <message>
        <source>Đồng bộ lỗi: {error}</source>
        <translation>Sync failed: {error}</translation>
    </message>
    <message>
        <source>Đồng bộ xong: gửi {pushed}, nhận {pulled}.</source>
        <translation>Sync done: {pushed} sent, {pulled} received.</translation>
    </message>
    <message>
        <source>Chưa kết nối được Cổng: {error}</source>
        <translation>Could not reach the portal: {error}</translation>
    </message>
</context>
<context>
    <name>PrintFailedDialog</name>
    <message>
        <source>Chưa in được phiếu</source>
        <translation>The form did not print</translation>
    </message>
    <message>
        <source>Chưa in được phiếu của hồ sơ {code}</source>
        <translation>The forms of dossier {code} did not print</translation>
    </message>
    <message>
        <source>Hồ sơ đã được lưu: không cần tiếp nhận lại. Chỉ có phiếu chưa in ra giấy.</source>
        <translation>The dossier is saved: do not receive it again. Only the paper did not come out.</translation>
    </message>
    <message>
        <source>Hãy kiểm tra:
• Nguồn: máy in đã bật, đèn báo sáng, không nháy lỗi.
• Giấy: còn giấy, đặt đúng chiều, nắp máy đã đóng chặt.
• Cáp: cáp nguồn và cáp USB hoặc cáp mạng cắm chắc ở cả hai đầu.
Rồi bấm «Thử in lại», hoặc in bằng máy in khác, hoặc cho công dân xem phiếu trên màn hình.</source>
        <translation>Please check:
• Power: the printer is on, its light is steady, not blinking an error.
• Paper: there is paper, the right way round, and the cover is shut.
• Cable: the power cable and the USB or network cable are firmly in at both ends.
Then press &quot;Try again&quot;, or print on another printer, or show the citizen the slip on screen.</translation>
    </message>
    <message>
        <source>Thử in lại</source>
        <translation>Try again</translation>
    </message>
    <message>
        <source>In bằng máy in này</source>
        <translation>Print on this printer</translation>
    </message>
    <message>
        <source>Xem phiếu trên màn hình</source>
        <translation>Show the slip on screen</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Máy in khác:</source>
        <translation>Another printer:</translation>
    </message>
    <message>
        <source>Đang in lại…</source>
        <translation>Printing again…</translation>
    </message>
    <message>
        <source>Đang in bằng {printer}…</source>
        <translation>Printing on {printer}…</translation>
    </message>
    <message>
        <source>máy in không trả lời.</source>
        <translation>the printer does not answer.</translation>
    </message>
    <message>
        <source>Vẫn chưa in được: {reason}</source>
        <translation>Still not printed: {reason}</translation>
    </message>
    <message>
        <source>Đã in phiếu của hồ sơ {code}.</source>
        <translation>The forms of dossier {code} are printed.</translation>
    </message>
</context>
<context>
    <name>PrinterPage</name>
    <message>
        <source>ví dụ tcp://192.168.1.50:9100</source>
        <translation>e.g. tcp://192.168.1.50:9100</translation>
    </message>
    <message>
        <source>Không dùng: in phiếu trên máy in nhiệt</source>
        <translation>None: forms print on the thermal printer</translation>
    </message>
    <message>
        <source>{name} (không thấy trên máy này)</source>
        <translation>{name} (not found on this computer)</translation>
    </message>
    <message>
        <source>Máy in giấy tờ A4/A5:</source>
        <translation>A4/A5 forms printer:</translation>
    </message>
    <message>
        <source>Tên máy in phiếu nhiệt:</source>
        <translation>Thermal printer name:</translation>
    </message>
    <message>
        <source>Địa chỉ máy in phiếu (ESC/POS):</source>
        <translation>Thermal printer address (ESC/POS):</translation>
    </message>
    <message>
        <source>Lưu máy in</source>
        <translation>Save printer</translation>
    </message>
    <message>
        <source>In thử</source>
        <translation>Test print</translation>
    </message>
    <message>
        <source>Lệnh in bị kẹt…</source>
        <translation>Stuck print jobs…</translation>
    </message>
    <message>
        <source>Để trống địa chỉ nếu chưa có máy in: phiếu sẽ hiện trên màn hình để xem trước.</source>
        <translation>Leave the address empty if there is no printer yet: slips are shown on screen as a preview.</translation>
    </message>
    <message>
        <source>Đã lưu máy in.</source>
        <translation>Printer saved.</translation>
    </message>
    <message>
        <source>trang in thử</source>
        <translation>test page</translation>
    </message>
    <message>
        <source>Đang gửi trang in thử tới {url}…</source>
        <translation>Sending a test page to {url}…</translation>
    </message>
    <message>
        <source>Đã in: {title}</source>
        <translation>Printed: {title}</translation>
    </message>
    <message>
        <source>Chưa in được {title}: {reason}</source>
        <translation>Could not print {title}: {reason}</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <source>Máy in văn phòng: {name}</source>
        <translation>Office printer: {name}</translation>
    </message>
    <message>
        <source>Máy in phiếu nhiệt: {name} ({url})</source>
        <translation>Thermal printer: {name} ({url})</translation>
    </message>
</context>
<context>
    <name>QueuePolicyPage</name>
    <message>
        <source> số thường</source>
        <translation> ordinary</translation>
    </message>
    <message>
        <source> phút</source>
        <translation> min</translation>
    </message>
    <message>
        <source>Chính sách gọi số:</source>
        <translation>Call policy:</translation>
    </message>
    <message>
        <source>Xen kẽ: số thường giữa hai số ưu tiên (N):</source>
        <translation>Ratio: ordinary tickets between two priority ones (N):</translation>
    </message>
    <message>
        <source>Thời gian chờ tối đa (M):</source>
        <translation>Maximum wait (M):</translation>
    </message>
    <message>
        <source>Ưu tiên tuyệt đối: người được ưu tiên luôn được gọi trước. Xen kẽ: sau mỗi số ưu tiên là N số thường, để hàng thường không phải chờ mãi. Thời gian chờ tối đa: như ưu tiên tuyệt đối, nhưng ai đã chờ quá M phút được gọi trước. Áp dụng cho mọi quầy của Trung tâm.</source>
        <translation>Strict: priority citizens are always called first. Ratio: after each priority ticket come N ordinary ones, so the ordinary queue is never starved. Maximum wait: strict, but anyone who waited more than M minutes is called first. Applies to every counter of the center.</translation>
    </message>
    <message>
        <source>Lưu chính sách gọi số</source>
        <translation>Save the call policy</translation>
    </message>
    <message>
        <source>Đã lưu chính sách gọi số.</source>
        <translation>Call policy saved.</translation>
    </message>
</context>
<context>
    <name>ReceiptPreview</name>
    <message>
        <source>Xem trước phiếu in: {title}</source>
        <translation>Print preview: {title}</translation>
    </message>
    <message>
        <source>Bản xem trước, đúng như khi in ra giấy 80 mm.</source>
        <translation>A preview, exactly as it prints on 80 mm paper.</translation>
    </message>
    <message>
        <source>In</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>Lưu PDF</source>
        <translation>Save PDF</translation>
    </message>
    <message>
        <source>Chưa cài máy in (xem Cài đặt › Máy in)</source>
        <translation>No printer set up (see Settings › Printer)</translation>
    </message>
    <message>
        <source>Máy in:</source>
        <translation>Printer:</translation>
    </message>
    <message>
        <source>Đã in: {title}</source>
        <translation>Printed: {title}</translation>
    </message>
    <message>
        <source>Đang gửi tới máy in…</source>
        <translation>Sending to the printer…</translation>
    </message>
    <message>
        <source>Chưa in được: {reason}</source>
        <translation>Not printed: {reason}</translation>
    </message>
    <message>
        <source>Lưu phiếu thành PDF</source>
        <translation>Save the form as PDF</translation>
    </message>
    <message>
        <source>Tệp PDF (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>Đã lưu PDF: {path}</source>
        <translation>PDF saved: {path}</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>ReportsWidget</name>
    <message>
        <source>Báo cáo</source>
        <translation>Reports</translation>
    </message>
    <message>
        <source>Hôm nay</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>Tuần này</source>
        <translation>This week</translation>
    </message>
    <message>
        <source>Tháng này</source>
        <translation>This month</translation>
    </message>
    <message>
        <source>Khoảng ngày…</source>
        <translation>Date range…</translation>
    </message>
    <message>
        <source>Xem báo cáo</source>
        <translation>Show report</translation>
    </message>
    <message>
        <source>Xuất Excel</source>
        <translation>Export Excel</translation>
    </message>
    <message>
        <source>Xuất CSV</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <source>Sổ theo dõi hồ sơ (Mẫu 07)</source>
        <translation>Tracking book (Form 07)</translation>
    </message>
    <message>
        <source>Tên</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Lượt lấy số (lượt)</source>
        <translation>Tickets (tickets)</translation>
    </message>
    <message>
        <source>Vắng mặt (lượt)</source>
        <translation>No-shows (tickets)</translation>
    </message>
    <message>
        <source>Chờ lâu nhất (phút)</source>
        <translation>Longest wait (min)</translation>
    </message>
    <message>
        <source>Phục vụ TB (phút)</source>
        <translation>Avg service (min)</translation>
    </message>
    <message>
        <source>Hồ sơ nhận (hồ sơ)</source>
        <translation>Dossiers received (dossiers)</translation>
    </message>
    <message>
        <source>Đúng hạn (hồ sơ)</source>
        <translation>On time (dossiers)</translation>
    </message>
    <message>
        <source>Quá hạn (hồ sơ)</source>
        <translation>Overdue (dossiers)</translation>
    </message>
    <message>
        <source>Lượt đánh giá (lượt)</source>
        <translation>Ratings (ratings)</translation>
    </message>
    <message>
        <source>Được gọi (lượt)</source>
        <translation>Called (calls)</translation>
    </message>
    <message>
        <source>Gọi trước lượt (lượt)</source>
        <translation>Out of turn (calls)</translation>
    </message>
    <message>
        <source>Tạm nghỉ (phút)</source>
        <translation>Paused (minutes)</translation>
    </message>
    <message>
        <source>Số hóa đủ (hồ sơ)</source>
        <translation>Fully digitised (dossiers)</translation>
    </message>
    <message>
        <source>Số hóa (%)</source>
        <translation>Digitised (%)</translation>
    </message>
    <message>
        <source>Theo quầy</source>
        <translation>By counter</translation>
    </message>
    <message>
        <source>Lượt lấy số</source>
        <translation>Tickets</translation>
    </message>
    <message>
        <source>Vắng mặt</source>
        <translation>No-show</translation>
    </message>
    <message>
        <source>Chờ TB (phút)</source>
        <translation>Avg wait (min)</translation>
    </message>
    <message>
        <source>Hài lòng (%)</source>
        <translation>Satisfied (%)</translation>
    </message>
    <message>
        <source>Theo cán bộ</source>
        <translation>By clerk</translation>
    </message>
    <message>
        <source>Theo nhóm</source>
        <translation>By group</translation>
    </message>
    <message>
        <source>Theo thủ tục</source>
        <translation>By procedure</translation>
    </message>
    <message>
        <source>Theo ngày</source>
        <translation>By day</translation>
    </message>
    <message>
        <source>Chỉ tính khi có từ {n} lượt đánh giá trở lên, để cán bộ không biết ai đã đánh giá mình.</source>
        <translation>Shown only from {n} ratings on, so a clerk cannot tell who rated them.</translation>
    </message>
    <message>
        <source>Kỳ báo cáo:</source>
        <translation>Period:</translation>
    </message>
    <message>
        <source>Theo nhóm dịch vụ</source>
        <translation>By service group</translation>
    </message>
    <message>
        <source>Không xuất được báo cáo: {e}</source>
        <translation>The report could not be exported: {e}</translation>
    </message>
    <message>
        <source>Đã xuất báo cáo ra {path}</source>
        <translation>Report exported to {path}</translation>
    </message>
    <message>
        <source>Lưu báo cáo</source>
        <translation>Save report</translation>
    </message>
    <message>
        <source>Lưu sổ theo dõi</source>
        <translation>Save tracking book</translation>
    </message>
    <message>
        <source>Đã ghi sổ theo dõi: {n} hồ sơ, {p} trang.</source>
        <translation>Tracking book written (dossiers: {n}, pages: {p}).</translation>
    </message>
    <message>
        <source>Tổng cộng: {queue}; {dossiers}; {ratings}; {digitised}.</source>
        <translation>Total: {queue}; {dossiers}; {ratings}; {digitised}.</translation>
    </message>
    <message numerus="yes">
        <source>%n lượt lấy số</source>
        <translation>
            <numerusform>%n ticket</numerusform>
            <numerusform>%n tickets</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n lượt vắng mặt</source>
        <translation>
            <numerusform>%n no-show</numerusform>
            <numerusform>%n no-shows</numerusform>
        </translation>
    </message>
    <message>
        <source>chờ trung bình {wait} phút</source>
        <translation>average wait {wait} min</translation>
    </message>
    <message numerus="yes">
        <source>%n hồ sơ tiếp nhận</source>
        <translation>
            <numerusform>%n dossier received</numerusform>
            <numerusform>%n dossiers received</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hồ sơ trả đúng hạn</source>
        <translation>
            <numerusform>%n dossier on time</numerusform>
            <numerusform>%n dossiers on time</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hồ sơ quá hạn</source>
        <translation>
            <numerusform>%n dossier overdue</numerusform>
            <numerusform>%n dossiers overdue</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n lượt đánh giá</source>
        <translation>
            <numerusform>%n rating</numerusform>
            <numerusform>%n ratings</numerusform>
        </translation>
    </message>
    <message>
        <source>hài lòng {pct}%</source>
        <translation>{pct}% satisfied</translation>
    </message>
    <message>
        <source>số hóa đủ giấy tờ {pct}% hồ sơ</source>
        <translation>{pct}% of dossiers with every paper digitised</translation>
    </message>
</context>
<context>
    <name>ReprintDialog</name>
    <message>
        <source>In lại phiếu của hồ sơ {code}</source>
        <translation>Print a form of dossier {code} again</translation>
    </message>
    <message>
        <source>Mẫu 01 – Giấy tiếp nhận hồ sơ và hẹn trả kết quả (2 liên)</source>
        <translation>Form 01 – Receipt and appointment (2 copies)</translation>
    </message>
    <message>
        <source>Mẫu 02 – Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ</source>
        <translation>Form 02 – Request to complete the dossier</translation>
    </message>
    <message>
        <source>Mẫu 03 – Phiếu từ chối tiếp nhận giải quyết hồ sơ</source>
        <translation>Form 03 – Refusal of the dossier</translation>
    </message>
    <message>
        <source>Mẫu 04 – Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết</source>
        <translation>Form 04 – Apology and extension of the processing time</translation>
    </message>
    <message>
        <source>Mẫu 05 – Thông báo dừng giải quyết hồ sơ</source>
        <translation>Form 05 – Notice that processing stopped</translation>
    </message>
    <message>
        <source>Mẫu 06 – Phiếu kiểm soát quá trình giải quyết hồ sơ</source>
        <translation>Form 06 – Processing control slip</translation>
    </message>
    <message>
        <source>Bản in lại ghi «BẢN IN LẠI» và giờ in lại ở đầu và cuối phiếu; việc in lại được ghi vào nhật ký.</source>
        <translation>A reprint says &quot;BẢN IN LẠI&quot; (reprint) and its time at the top and the bottom; the reprint is recorded in the audit log.</translation>
    </message>
    <message>
        <source>In lại</source>
        <translation>Print again</translation>
    </message>
    <message>
        <source>Xem trước</source>
        <translation>Preview</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Hồ sơ này chưa có phiếu nào để in.</source>
        <translation>This dossier has no form to print yet.</translation>
    </message>
    <message>
        <source>Chưa cài máy in: chọn máy in trong Cài đặt › Máy in, hoặc Xem trước rồi Lưu PDF.</source>
        <translation>No printer set up: choose one in Settings › Printer, or Preview and then Save PDF.</translation>
    </message>
    <message>
        <source>Phiếu:</source>
        <translation>Form:</translation>
    </message>
    <message>
        <source>Máy in:</source>
        <translation>Printer:</translation>
    </message>
    <message>
        <source>Đã in lại: {form}</source>
        <translation>Printed again: {form}</translation>
    </message>
    <message>
        <source>Đang gửi tới máy in…</source>
        <translation>Sending to the printer…</translation>
    </message>
    <message>
        <source>Chưa in được: {reason}</source>
        <translation>Not printed: {reason}</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <source>Công dân vắng mặt đã quay lại</source>
        <translation>An absent citizen is back</translation>
    </message>
    <message>
        <source>{label} – ghi vắng mặt lúc {time}</source>
        <translation>{label} – marked absent at {time}</translation>
    </message>
    <message>
        <source>Đưa lại vào hàng chờ</source>
        <translation>Back to the queue</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Chọn số của công dân rồi nhấn Enter: số đó được gọi trước người đến sau.</source>
        <translation>Choose the citizen&apos;s ticket and press Enter: it is called before those who came later.</translation>
    </message>
</context>
<context>
    <name>ResultPapers</name>
    <message>
        <source>Chọn tệp giấy tờ kết quả</source>
        <translation>Choose the result paper&apos;s files</translation>
    </message>
    <message>
        <source>Đang số hóa giấy tờ kết quả…</source>
        <translation>Digitising the result paper…</translation>
    </message>
    <message>
        <source>Đã đính kèm giấy tờ kết quả ({n} trang) vào hồ sơ {code}.</source>
        <translation>Result paper attached ({n} pages) to dossier {code}.</translation>
    </message>
</context>
<context>
    <name>SatisfactionWidget</name>
    <message>
        <source>Xin cảm ơn quý khách!</source>
        <translation>Thank you!</translation>
    </message>
    <message>
        <source>Đánh giá không ghi tên quý khách và cán bộ không xem được ai đã đánh giá.</source>
        <translation>Ratings are anonymous: the clerk cannot see who gave them.</translation>
    </message>
    <message>
        <source>Gửi đánh giá</source>
        <translation>Send rating</translation>
    </message>
    <message>
        <source>Quý khách số {label} vừa được phục vụ</source>
        <translation>Number {label}, you have just been served</translation>
    </message>
    <message>
        <source>Quý khách hài lòng với phục vụ hôm nay không?</source>
        <translation>Were you satisfied with our service today?</translation>
    </message>
    <message>
        <source>Màn hình đánh giá sẽ hiện khi quý khách được phục vụ xong.</source>
        <translation>The rating screen appears when you have been served.</translation>
    </message>
    <message>
        <source>Cảm ơn quý khách đã đánh giá!</source>
        <translation>Thank you for your rating!</translation>
    </message>
</context>
<context>
    <name>Screens</name>
    <message>
        <source>Kiosk lấy số thứ tự</source>
        <translation>Ticket kiosk</translation>
    </message>
    <message>
        <source>Màn hình gọi số</source>
        <translation>Display board</translation>
    </message>
    <message>
        <source>Đánh giá mức độ hài lòng</source>
        <translation>Satisfaction rating</translation>
    </message>
</context>
<context>
    <name>SetAsideDialog</name>
    <message>
        <source>Bản ghi bị Cổng để riêng</source>
        <translation>Records the portal set aside</translation>
    </message>
    <message>
        <source>Cổng không nhận các bản ghi dưới đây. Chúng được giữ nguyên trên máy này và không tự gửi lại cho đến khi quản trị viên gửi lại.</source>
        <translation>The portal did not accept the records below. They are kept on this PC and are not sent again until the admin resends them.</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Hồ sơ {id}</source>
        <translation>Dossier {id}</translation>
    </message>
    <message>
        <source>Lượt lấy số {id}</source>
        <translation>Ticket {id}</translation>
    </message>
    <message>
        <source>Bản ghi {id}</source>
        <translation>Record {id}</translation>
    </message>
    <message>
        <source>Không còn bản ghi nào bị để riêng.</source>
        <translation>No record is set aside any more.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Chưa lưu: hãy sửa ô có thông báo đỏ.</source>
        <translation>Not saved: fix the fields with a red message.</translation>
    </message>
</context>
<context>
    <name>SettingsWidget</name>
    <message>
        <source>Cài đặt</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Trung tâm</source>
        <translation>Center</translation>
    </message>
    <message>
        <source>Quầy và nhóm dịch vụ</source>
        <translation>Counters and groups</translation>
    </message>
    <message>
        <source>Giờ làm việc, ngày nghỉ</source>
        <translation>Hours and days off</translation>
    </message>
    <message>
        <source>Máy in</source>
        <translation>Printer</translation>
    </message>
    <message>
        <source>Cổng DVC, đồng bộ</source>
        <translation>Portal and sync</translation>
    </message>
    <message>
        <source>Ngôn ngữ</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>Sao lưu</source>
        <translation>Backup</translation>
    </message>
    <message>
        <source>Gọi số</source>
        <translation>Calling</translation>
    </message>
    <message>
        <source>Tài khoản</source>
        <translation>Accounts</translation>
    </message>
</context>
<context>
    <name>StationStatusBar</name>
    <message>
        <source>Đồng bộ ngay</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>○ Ngoại tuyến</source>
        <translation>○ Offline</translation>
    </message>
    <message>
        <source>Có kết nối Cổng trong 10 phút qua.</source>
        <translation>The portal answered within the last 10 minutes.</translation>
    </message>
    <message>
        <source>Chưa kết nối được Cổng. Mọi việc vẫn làm bình thường; dữ liệu được gửi lên khi có mạng.</source>
        <translation>The portal cannot be reached. Work goes on as usual; the data is sent once the line is back.</translation>
    </message>
    <message numerus="yes">
        <source>Chờ đồng bộ: %Ln bản ghi</source>
        <translation>
            <numerusform>Waiting to sync: %Ln record</numerusform>
            <numerusform>Waiting to sync: %Ln records</numerusform>
        </translation>
    </message>
    <message>
        <source>Cổng không nhận các bản ghi này; chúng không được gửi lại tự động. Bấm để xem lý do và việc cần làm.</source>
        <translation>The portal did not accept these records; they are not resent automatically. Click to see why and what to do.</translation>
    </message>
    <message>
        <source>⛔ Máy này đã bị thu hồi khỏi trung tâm ({at})</source>
        <translation>⛔ This PC was revoked from the center ({at})</translation>
    </message>
    <message>
        <source>Quản trị viên đã thu hồi máy này khỏi trung tâm; máy đã dừng làm việc với hàng chờ chung. Hãy báo quản trị viên; muốn dùng lại, máy phải tham gia lại bằng mã mới.</source>
        <translation>The administrator revoked this PC from the center; it stopped working on the shared queue. Tell the administrator; to use it again it must join again with a new code.</translation>
    </message>
    <message>
        <source>○ Mất kết nối trung tâm từ {since}</source>
        <translation>○ Cut off from the center since {since}</translation>
    </message>
    <message numerus="yes">
        <source> · %Ln bản ghi chờ gửi</source>
        <translation>
            <numerusform> · %Ln record waiting</numerusform>
            <numerusform> · %Ln records waiting</numerusform>
        </translation>
    </message>
    <message>
        <source>Đã sao lưu: {path}</source>
        <translation>Backed up: {path}</translation>
    </message>
    <message>
        <source>● Trực tuyến</source>
        <translation>● Online</translation>
    </message>
    <message>
        <source>Đã đồng bộ hết</source>
        <translation>Everything synced</translation>
    </message>
    <message>
        <source>● Đã nối trung tâm</source>
        <translation>● Linked to the center</translation>
    </message>
    <message>
        <source>Bản ghi cũ nhất đã chờ {age}.</source>
        <translation>The oldest record has waited {age}.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln bản ghi bị Cổng để riêng</source>
        <translation>
            <numerusform>%Ln record set aside by the portal</numerusform>
            <numerusform>%Ln records set aside by the portal</numerusform>
        </translation>
    </message>
    <message>
        <source>Máy in: chưa cài đặt</source>
        <translation>Printer: not set up</translation>
    </message>
    <message>
        <source>Phiếu và giấy hẹn hiện trên màn hình để xem trước.</source>
        <translation>Slips and receipts are shown on screen as a preview.</translation>
    </message>
    <message numerus="yes">
        <source>Máy in: %Ln lệnh in chưa xong</source>
        <translation>
            <numerusform>Printer: %Ln job not printed</numerusform>
            <numerusform>Printer: %Ln jobs not printed</numerusform>
        </translation>
    </message>
    <message>
        <source>Bấm để xem các lệnh in chưa xong, in lại hoặc hủy.</source>
        <translation>Click to see unfinished print jobs, print them again or cancel them.</translation>
    </message>
    <message>
        <source>Ổ đĩa còn trống {size} MB</source>
        <translation>Disk space left: {size} MB</translation>
    </message>
    <message>
        <source>Ổ đĩa chứa dữ liệu sắp đầy. Hãy giải phóng chỗ trống (xóa tệp không cần, chuyển bản sao lưu cũ sang ổ khác) trước khi ổ đầy.</source>
        <translation>The disk holding the data is nearly full. Free some space (delete files you do not need, move old backups to another drive) before it fills up.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln hồ sơ trực tuyến chờ kiểm tra</source>
        <translation>
            <numerusform>%Ln online dossier to check</numerusform>
            <numerusform>%Ln online dossiers to check</numerusform>
        </translation>
    </message>
    <message>
        <source>Bấm (hoặc Ctrl+5) để mở trang Hồ sơ trực tuyến.</source>
        <translation>Click (or Ctrl+5) to open the Online dossiers page.</translation>
    </message>
    <message>
        <source>Máy in giấy tờ: {name}</source>
        <translation>Forms printer: {name}</translation>
    </message>
    <message>
        <source>Máy in giấy tờ: không thấy «{name}»</source>
        <translation>Forms printer: «{name}» not found</translation>
    </message>
    <message>
        <source>Máy in: không kết nối</source>
        <translation>Printer: not connected</translation>
    </message>
    <message>
        <source>Máy in: chưa kiểm tra được</source>
        <translation>Printer: not checked yet</translation>
    </message>
    <message>
        <source>Máy in: sẵn sàng</source>
        <translation>Printer: ready</translation>
    </message>
    <message>
        <source>Đã in: {title}</source>
        <translation>Printed: {title}</translation>
    </message>
    <message>
        <source>Chưa in được {title}: lệnh in đang chờ máy in.</source>
        <translation>Could not print {title} yet: the job waits for the printer.</translation>
    </message>
    <message>
        <source>Đang gửi {done}/{total} bản ghi</source>
        <translation>Sending records: {done}/{total}</translation>
    </message>
    <message numerus="yes">
        <source>Đang nhận thay đổi từ Cổng: %Ln</source>
        <translation>
            <numerusform>Receiving changes from the portal: %Ln</numerusform>
            <numerusform>Receiving changes from the portal: %Ln</numerusform>
        </translation>
    </message>
    <message>
        <source>Đang kết nối Cổng…</source>
        <translation>Connecting to the portal…</translation>
    </message>
    <message>
        <source>Đồng bộ lỗi: {error}</source>
        <translation>Sync failed: {error}</translation>
    </message>
    <message>
        <source>Đồng bộ xong: gửi {pushed}, nhận {pulled}.</source>
        <translation>Sync done: {pushed} sent, {pulled} received.</translation>
    </message>
    <message>
        <source>Chưa kết nối được Cổng: {error}</source>
        <translation>Could not reach the portal: {error}</translation>
    </message>
    <message>
        <source>{user} · {time}</source>
        <translation>{user} · {time}</translation>
    </message>
</context>
<context>
    <name>StationWindow</name>
    <message>
        <source>Quầy một cửa</source>
        <translation>One-stop counter</translation>
    </message>
    <message>
        <source>Khóa màn hình</source>
        <translation>Lock screen</translation>
    </message>
    <message>
        <source>Đăng xuất</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <source>Mở kiosk lấy số</source>
        <translation>Open ticket kiosk</translation>
    </message>
    <message>
        <source>Mở màn hình gọi số</source>
        <translation>Open display board</translation>
    </message>
    <message>
        <source>Mở màn hình đánh giá</source>
        <translation>Open rating screen</translation>
    </message>
    <message>
        <source>Quầy một cửa – {center}</source>
        <translation>One-stop counter – {center}</translation>
    </message>
    <message>
        <source>Quầy (Ctrl+1)</source>
        <translation>Counter (Ctrl+1)</translation>
    </message>
    <message>
        <source>Tiếp nhận hồ sơ</source>
        <translation>Receive dossier</translation>
    </message>
    <message>
        <source>Tra cứu hồ sơ</source>
        <translation>Look up a dossier</translation>
    </message>
    <message>
        <source>Báo cáo</source>
        <translation>Reports</translation>
    </message>
    <message>
        <source>Cài đặt</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Hướng dẫn, soạn hồ sơ</source>
        <translation>Guide and pre-fill</translation>
    </message>
    <message>
        <source>Hồ sơ trực tuyến</source>
        <translation>Online dossiers</translation>
    </message>
    <message>
        <source>Quầy đang phục vụ công dân số {label}. Hãy bấm «Xong» hoặc chuyển công dân trước khi đăng xuất; nếu đăng xuất bây giờ, số này vẫn treo ở quầy.</source>
        <translation>The counter is serving citizen {label}. Press &apos;Done&apos; or transfer the citizen before signing out; signed out now, this number stays called at the counter.</translation>
    </message>
    <message>
        <source>Vẫn đăng xuất</source>
        <translation>Sign out anyway</translation>
    </message>
    <message>
        <source>Ở lại phục vụ</source>
        <translation>Stay and serve</translation>
    </message>
</context>
<context>
    <name>StuckJobsDialog</name>
    <message>
        <source>Lệnh in bị kẹt</source>
        <translation>Stuck print jobs</translation>
    </message>
    <message>
        <source>Không có lệnh in nào bị kẹt.</source>
        <translation>No print job is stuck.</translation>
    </message>
    <message>
        <source>In lại</source>
        <translation>Print again</translation>
    </message>
    <message>
        <source>Hủy lệnh in</source>
        <translation>Cancel job</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>chờ máy in</source>
        <translation>waiting for the printer</translation>
    </message>
    <message>
        <source>lỗi</source>
        <translation>failed</translation>
    </message>
    <message>
        <source>không rõ đã in chưa – xem giấy trước khi in lại</source>
        <translation>may or may not have printed – check the paper before printing again</translation>
    </message>
    <message>
        <source>#{id} {title} – {state} ({at})</source>
        <translation>#{id} {title} – {state} ({at})</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <source>Chuyển</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Chuyển công dân</source>
        <translation>Transfer the citizen</translation>
    </message>
    <message>
        <source>Nhóm dịch vụ</source>
        <translation>Service group</translation>
    </message>
    <message>
        <source>Quầy</source>
        <translation>Counter</translation>
    </message>
    <message>
        <source>Quầy số {n}</source>
        <translation>Counter {n}</translation>
    </message>
    <message>
        <source>Cán bộ</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <source>Ctrl+Tab: nhóm, quầy hay cán bộ. Chọn rồi nhấn Enter.</source>
        <translation>Ctrl+Tab: group, counter or clerk. Pick one, then press Enter.</translation>
    </message>
</context>
<context>
    <name>VolunteerWidget</name>
    <message>
        <source>Số thứ tự trên phiếu, ví dụ A012</source>
        <translation>Number on the ticket, e.g. A012</translation>
    </message>
    <message>
        <source>Gắn với số này</source>
        <translation>Attach to this number</translation>
    </message>
    <message>
        <source>Công dân mang số:</source>
        <translation>Citizen&apos;s number:</translation>
    </message>
</context>
</TS>
