"""One style sheet for every window: large, high-contrast, readable across a counter."""

from __future__ import annotations

BLUE = "#0b5cad"
GREEN = "#1b7f3b"
RED = "#b3261e"
AMBER = "#a15c00"
GREY = "#5f6368"

STYLE = f"""
QWidget {{ color: #1f1f1f; }}
QMainWindow, QDialog {{ background: #f4f6f9; }}
QPushButton {{
    background: #ffffff; border: 1px solid #b8c2cc; border-radius: 6px;
    padding: 6px 14px; min-height: 26px;
}}
QPushButton:hover {{ border-color: {BLUE}; }}
QPushButton:focus {{ border: 2px solid {BLUE}; }}
QPushButton:disabled {{ color: #9aa0a6; background: #eceff1; }}
QPushButton[role="primary"] {{ background: {BLUE}; color: white; border: none; font-weight: 600; }}
QPushButton[role="primary"]:disabled {{ background: #9db8d6; }}
QPushButton[role="danger"] {{ background: #fff; color: {RED}; border: 1px solid {RED}; }}
QPushButton[role="danger"]:disabled {{ color: #9aa0a6; background: #eceff1; border-color: #ccc; }}
QPushButton[role="big"] {{ font-size: 15pt; min-height: 54px; font-weight: 600; }}
QPushButton[role="kiosk"] {{
    font-size: 26pt; font-weight: 600; min-height: 120px; background: {BLUE}; color: white;
    border: none; border-radius: 14px;
}}
QPushButton[role="kiosk-alt"] {{
    font-size: 24pt; font-weight: 600; min-height: 110px; background: #ffffff; color: {BLUE};
    border: 3px solid {BLUE}; border-radius: 14px;
}}
QPushButton[role="rating"] {{ font-size: 20pt; min-height: 120px; border-radius: 14px; }}
QLineEdit, QComboBox, QPlainTextEdit, QTextEdit {{
    background: white; border: 1px solid #b8c2cc; border-radius: 4px; padding: 4px 6px;
    min-height: 22px;
}}
QLineEdit:focus, QComboBox:focus, QPlainTextEdit:focus {{ border: 2px solid {BLUE}; }}
QLineEdit[invalid="true"] {{ border: 2px solid {RED}; background: #fff5f5; }}
QLabel[role="title"] {{ font-size: 17pt; font-weight: 600; color: {BLUE}; }}
QLabel[role="subtitle"] {{ font-size: 12pt; color: {GREY}; }}
QLabel[role="error"] {{ color: {RED}; }}
QLabel[role="hint"] {{ color: {GREY}; }}
QLabel[role="notice"] {{ background: #fff4e0; color: {AMBER}; border: 1px solid {AMBER};
    border-radius: 6px; padding: 6px; font-weight: 600; }}
QLabel[role="ticket"] {{ font-size: 52pt; font-weight: 700; color: {BLUE}; }}
QLabel[role="count"] {{ font-size: 20pt; font-weight: 700; color: {BLUE}; }}
QFrame[role="card"] {{ background: white; border: 1px solid #d7dde3; border-radius: 8px; }}
QFrame[role="message-error"] {{ background: #fdecea; border: 1px solid {RED}; border-radius: 6px; }}
QFrame[role="message-ok"] {{ background: #e7f4ea; border: 1px solid {GREEN}; border-radius: 6px; }}
QFrame[role="message-notice"] {{ background: #fff4e0; border: 1px solid {AMBER};
    border-radius: 6px; }}
QFrame[role="message-info"] {{ background: #e8f0fb; border: 1px solid {BLUE}; border-radius: 6px; }}
QTreeWidget, QTableWidget, QTableView, QListWidget {{
    background: white; border: 1px solid #d7dde3; alternate-background-color: #f7f9fb;
}}
QHeaderView::section {{
    background: #e9eef4; border: none; border-right: 1px solid #d7dde3; padding: 4px 6px;
    font-weight: 600;
}}
QListWidget#nav {{ background: #12355b; color: white; border: none; font-size: 12pt; }}
QListWidget#nav::item {{ padding: 12px 10px; }}
QListWidget#nav::item:selected {{ background: {BLUE}; color: white; }}
QStatusBar {{ background: #e9eef4; }}
QTabBar::tab {{ padding: 6px 14px; }}
"""


def set_role(widget, role: str) -> None:
    """Change a widget's style role and re-polish it so the new look shows at once."""
    widget.setProperty("role", role)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
