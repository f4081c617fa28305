"""The Qt program: counter, intake, kiosk, display board, dossiers, reports, settings.

Widgets call `counter_app.services` through `gateway` only; no SQL and no business rule here.
Heavy modules (QtCharts, QtTextToSpeech, printers) are imported where they are first needed.
"""
