"""The frozen program's first module: the same `counter-app` command as the installed one."""

from counter_app.cli import main

if __name__ == "__main__":
    main()
