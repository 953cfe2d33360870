# Numbers for Spanish-speaking families in the United States: a decimal point and a thousands
# comma, as in Mexico, Central America and the Caribbean and on every US form (Django's own "es"
# writes a decimal comma). Dates and times keep Django's Spanish formats.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
