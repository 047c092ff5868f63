"""What every check shares about a zone, worked out once per zone by the run's ``CheckContext``."""
