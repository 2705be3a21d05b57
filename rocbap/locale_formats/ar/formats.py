"""Arabic numbers as CLDR writes them in the Latin digits the product keeps (Babel: Locale("ar").number_symbols
["latn"]): a decimal point and a comma between thousands, where Django's own Arabic formats have the comma and the
point the other way round. Only these two; Django's module gives the rest (settings.FORMAT_MODULE_PATH)."""

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
