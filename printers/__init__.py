"""Receipt documents rendered to ESC/POS or PDF and delivered through a persistent spool."""
