"""The audit log page: the clinic admin's view of who read and changed what."""
