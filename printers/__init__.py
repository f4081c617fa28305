"""Receipt documents rendered to ESC/POS or PDF and delivered through a spool (see the printing issue)."""
