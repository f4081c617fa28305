"""Portal client, sync engine and portal emulator (see the sync issue)."""
