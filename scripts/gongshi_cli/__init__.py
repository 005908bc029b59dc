"""The gongshi command-line tool for clerks, supervisors and CI."""
