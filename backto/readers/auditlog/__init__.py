"""The audit log's readers: the clinic admin's page of who read and changed what, and a child's
"who has opened this record" page for the family and the care team."""
