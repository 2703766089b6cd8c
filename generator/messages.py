"""Diagnostic messages in plain German and English, one entry per diagnostic code.

Editors are rarely programmers: a message says what is wrong in their terms and, where we can tell, how to
fix it. Placeholders are filled from the diagnostic's context with `str.format`.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # --- files and YAML --------------------------------------------------------------------------------
    "file-too-large": {
        "de": "Die Datei ist {size} Bytes groß; erlaubt sind höchstens {limit} Bytes.",
        "en": "The file is {size} bytes; at most {limit} bytes are allowed.",
    },
    "file-unreadable": {
        "de": "Die Datei kann nicht gelesen werden ({reason}).",
        "en": "The file cannot be read ({reason}).",
    },
    "encoding": {
        "de": "Die Datei ist nicht in UTF-8 gespeichert. Bitte im Editor als „UTF-8“ speichern.",
        "en": "The file is not saved as UTF-8. Please save it as UTF-8 in your editor.",
    },
    "front-matter-missing": {
        "de": "Die Datei muss mit einem Kopfbereich beginnen: einer Zeile `---`, den Feldern und wieder `---`.",
        "en": "The file must start with front matter: a line `---`, the fields, and `---` again.",
    },
    "yaml-syntax": {
        "de": "Die Angaben können nicht gelesen werden (YAML-Syntaxfehler): {problem}",
        "en": "The fields cannot be read (YAML syntax error): {problem}",
    },
    "yaml-syntax-tab": {
        "de": "Tabulatorzeichen sind hier nicht erlaubt; bitte mit Leerzeichen einrücken.",
        "en": "Tab characters are not allowed here; please indent with spaces.",
    },
    "yaml-syntax-colon": {
        "de": "Ein Doppelpunkt steht mitten in einem Text. Bitte den ganzen Text in Anführungszeichen setzen.",
        "en": "A colon stands inside a text. Please put the whole text in quotes.",
    },
    "yaml-syntax-control": {
        "de": "Die Datei enthält unsichtbare Steuerzeichen (z. B. ein Nullbyte); bitte entfernen.",
        "en": "The file contains invisible control characters (e.g. a NUL byte); please remove them.",
    },
    "not-a-mapping": {
        "de": "Erwartet werden Felder der Form `name: wert`.",
        "en": "Expected fields of the form `name: value`.",
    },
    "yaml-too-deep": {
        "de": "Die Angaben sind zu tief verschachtelt (mehr als {limit} Ebenen).",
        "en": "The fields are nested too deeply (more than {limit} levels).",
    },
    "yaml-anchor": {
        "de": "YAML-Anker und -Verweise (`&name`, `*name`) sind nicht erlaubt; bitte den Wert ausschreiben.",
        "en": "YAML anchors and aliases (`&name`, `*name`) are not allowed; please write the value out.",
    },
    "yaml-tag": {
        "de": "Die Typangabe `{tag}` ist nicht erlaubt; bitte einen einfachen Wert ohne `!` verwenden.",
        "en": "The type tag `{tag}` is not allowed; please use a plain value without `!`.",
    },
    "yaml-key-type": {
        "de": "Der Feldname `{key}` wird nicht als Text gelesen; bitte in Anführungszeichen setzen.",
        "en": "The field name `{key}` is not read as text; please put it in quotes.",
    },
    "yaml-duplicate-key": {
        "de": "Das Feld `{key}` steht doppelt (zuerst in Zeile {first}); bitte nur einmal angeben.",
        "en": "The field `{key}` appears twice (first on line {first}); please give it once.",
    },
    "yaml-ambiguous-number": {
        "de": "`{value}` wird als andere Zahl gelesen, als es aussieht (führende Null oder Doppelpunkt). "
        "Bitte als einfache Zahl (z. B. `1.5`) oder in Anführungszeichen schreiben.",
        "en": "`{value}` is read as a different number than it looks (leading zero or colon). "
        "Please write a plain number (e.g. `1.5`) or put it in quotes.",
    },
    "control-character": {
        "de": "Der Text enthält unsichtbare Steuer- oder Richtungszeichen; bitte entfernen.",
        "en": "The text contains invisible control or direction characters; please remove them.",
    },
    "invalid-date": {
        "de": "`{value}` ist kein gültiges Datum; bitte als JJJJ-MM-TT angeben (z. B. 2026-03-01).",
        "en": "`{value}` is not a valid date; please write it as YYYY-MM-DD (e.g. 2026-03-01).",
    },
    # --- schema --------------------------------------------------------------------------------------------
    "missing-field": {
        "de": "Das Pflichtfeld `{field}` fehlt.",
        "en": "The required field `{field}` is missing.",
    },
    "unknown-field": {
        "de": "Das Feld `{field}` ist unbekannt.{suggestion}",
        "en": "The field `{field}` is unknown.{suggestion}",
    },
    "suggestion": {"de": " Meinten Sie `{name}`?", "en": " Did you mean `{name}`?"},
    "wrong-type": {
        "de": "`{field}` muss {expected} sein.{hint}",
        "en": "`{field}` must be {expected}.{hint}",
    },
    "quote-hint": {
        "de": " `{value}` wird ohne Anführungszeichen nicht als Text gelesen: bitte \"{value}\" schreiben.",
        "en": " `{value}` is not read as text without quotes: please write \"{value}\".",
    },
    "invalid-value": {
        "de": "`{field}` hat den Wert `{value}`; erlaubt sind: {allowed}.",
        "en": "`{field}` is `{value}`; allowed values: {allowed}.",
    },
    "too-long": {
        "de": "`{field}` ist {length} Zeichen lang; erlaubt sind höchstens {limit}.",
        "en": "`{field}` is {length} characters long; at most {limit} are allowed.",
    },
    "empty": {
        "de": "`{field}` darf nicht leer sein.",
        "en": "`{field}` must not be empty.",
    },
    "out-of-range": {
        "de": "`{field}` darf nicht kleiner als {limit} sein.",
        "en": "`{field}` must not be less than {limit}.",
    },
    "invalid-email": {
        "de": "`{field}`: `{value}` ist keine gültige E-Mail-Adresse.",
        "en": "`{field}`: `{value}` is not a valid e-mail address.",
    },
    "invalid-url": {
        "de": "`{field}`: `{value}` ist keine gültige Webadresse; sie muss mit https:// oder http:// beginnen.",
        "en": "`{field}`: `{value}` is not a valid web address; it must start with https:// or http://.",
    },
    "invalid-key": {
        "de": "`{field}`: `{value}` ist kein gültiger Schlüssel (nur a–z, 0–9, - und _, höchstens 80 Zeichen).",
        "en": "`{field}`: `{value}` is not a valid key (only a–z, 0–9, - and _, at most 80 characters).",
    },
    "invalid-id": {
        "de": "Der Dateiname `{name}` ist ungültig: erlaubt sind Kleinbuchstaben a–z, Ziffern und Bindestriche "
        "(keine Umlaute, keine Leerzeichen), höchstens 80 Zeichen, Endung `{suffix}`; reservierte Namen wie "
        "`index` oder Namen von Bereichen der Website sind nicht möglich.",
        "en": "The file name `{name}` is invalid: use lowercase a–z, digits and hyphens (no spaces), "
        "at most 80 characters, ending `{suffix}`; reserved names such as `index` or the site's section "
        "names are not possible.",
    },
    "unexpected-file": {
        "de": "Diese Datei wird nicht verwendet: in `{folder}` werden nur `*{suffix}`-Dateien gelesen.",
        "en": "This file is not used: only `*{suffix}` files are read in `{folder}`.",
    },
    "money-not-a-need": {
        "de": "`{field}`: `{value}` ist Geld. Das Netzwerk vermittelt nie Geld, sondern Sachspenden, Zeit, "
        "Dienstleistungen und Fachwissen. Bitte beschreiben, was konkret gebraucht wird.",
        "en": "`{field}`: `{value}` is money. The network never brokers money, only in-kind donations, time, "
        "services and expertise. Please describe what exactly is needed.",
    },
    # --- references and process rules ----------------------------------------------------------------------
    "unknown-reference": {
        "de": "`{field}`: Es gibt keine {target} mit der Kennung `{value}` "
        "(Datei `{folder}/{value}{suffix}`).{suggestion}",
        "en": "`{field}`: there is no {target} with the id `{value}` (file `{folder}/{value}{suffix}`).{suggestion}",
    },
    "wrong-organization-kind": {
        "de": "`{field}`: `{value}` ist als `{actual}` eingetragen; "
        "hier ist eine Organisation der Art {expected} nötig.",
        "en": "`{field}`: `{value}` is registered as `{actual}`; an organisation of kind {expected} is needed here.",
    },
    "unknown-key": {
        "de": "`{field}`: `{value}` ist in site_config.yml unter `{section}` nicht definiert. Möglich: {allowed}.",
        "en": "`{field}`: `{value}` is not defined under `{section}` in site_config.yml. Possible: {allowed}.",
    },
    "date-required": {
        "de": "`{field}` ist Pflicht, wenn der Status `{status}` ist.",
        "en": "`{field}` is required when the status is `{status}`.",
    },
    "date-order": {
        "de": "`{field}` ({value}) liegt vor `{other}` ({other_value}).",
        "en": "`{field}` ({value}) is before `{other}` ({other_value}).",
    },
    "proposal-not-completed": {
        "de": "Der verknüpfte Vorschlag `{value}` hat den Status `{status}`; erwartet wird `completed`.",
        "en": "The linked proposal `{value}` has the status `{status}`; `completed` is expected.",
    },
    "proposal-not-public": {
        "de": "Der verknüpfte Vorschlag `{value}` ist nicht öffentlich (Status `{status}`) und wird nicht verlinkt.",
        "en": "The linked proposal `{value}` is not public (status `{status}`) and will not be linked.",
    },
    # --- files referenced from content -----------------------------------------------------------------------
    "image-path": {
        "de": "`{field}`: `{value}` muss ein Pfad innerhalb von content/images/ sein, z. B. `projekte/foto.jpg` "
        "(kein absoluter Pfad, kein `..`).",
        "en": "`{field}`: `{value}` must be a path inside content/images/, e.g. `projects/photo.jpg` "
        "(no absolute path, no `..`).",
    },
    "image-type": {
        "de": "`{field}`: `{value}` hat kein erlaubtes Bildformat ({allowed}).",
        "en": "`{field}`: `{value}` is not an allowed image format ({allowed}).",
    },
    "image-not-found": {
        "de": "`{field}`: Das Bild `content/images/{value}` gibt es nicht.",
        "en": "`{field}`: the image `content/images/{value}` does not exist.",
    },
    "image-outside": {
        "de": "`{field}`: `{value}` ist ein Verweis (Symlink) auf eine Datei außerhalb von content/.",
        "en": "`{field}`: `{value}` is a link (symlink) to a file outside content/.",
    },
    "image-too-large": {
        "de": "`{field}`: Das Bild ist {size} KB groß; bitte auf höchstens {limit} KB verkleinern.",
        "en": "`{field}`: the image is {size} KB; please reduce it to at most {limit} KB.",
    },
    "body-too-complex": {
        "de": "Der Text enthält {count}-mal `{char}`; erlaubt sind höchstens {limit}.",
        "en": "The text contains `{char}` {count} times; at most {limit} are allowed.",
    },
    "file-outside": {
        "de": "Diese Datei ist ein Verweis (Symlink) auf eine Datei außerhalb von content/ und wird nicht gelesen.",
        "en": "This file is a link (symlink) to a file outside content/ and is not read.",
    },
    "too-large": {
        "de": "`{field}` darf nicht größer als {limit} sein.",
        "en": "`{field}` must not be greater than {limit}.",
    },
    "invalid-phone": {
        "de": "`{field}`: `{value}` ist keine gültige Telefonnummer (Ziffern, Leerzeichen, + ( ) / - .).",
        "en": "`{field}`: `{value}` is not a valid phone number (digits, spaces, + ( ) / - .).",
    },
    "invalid-format": {
        "de": "`{field}`: `{value}` hat nicht das erwartete Format.",
        "en": "`{field}`: `{value}` does not have the expected format.",
    },
    "invalid": {
        "de": "`{field}` ist ungültig: {detail}",
        "en": "`{field}` is invalid: {detail}",
    },
    # --- build ---------------------------------------------------------------------------------------------------
    "privacy-leak": {
        "de": "Datenschutz-Sperre: `{file}` enthält „{text}“ ({what}), das nicht veröffentlicht werden darf. "
        "Die Website wurde nicht aktualisiert.",
        "en": "Privacy gate: `{file}` contains \"{text}\" ({what}), which must not be published. "
        "The site was not updated.",
    },
    "unexpected-contact": {
        "de": "Die Seite zeigt die Kontaktangabe `{value}`, die weder ein öffentlicher Kontakt noch die "
        "Koordinierungsstelle ist. Ist das gewollt?",
        "en": "The page shows the contact detail `{value}`, which is neither a public contact nor the "
        "coordination's. Is that intended?",
    },
    "template-error": {
        "de": "Fehler in der Vorlage: {detail}. Die Website wurde nicht aktualisiert.",
        "en": "Template error: {detail}. The site was not updated.",
    },
    "mkdocs-warning": {
        "de": "MkDocs meldet: {detail}",
        "en": "MkDocs reports: {detail}",
    },
    "mkdocs-error": {
        "de": "MkDocs ist gescheitert: {detail}. Die Website wurde nicht aktualisiert.",
        "en": "MkDocs failed: {detail}. The site was not updated.",
    },
    "write-error": {
        "de": "Die Website kann nicht geschrieben werden: {detail}. Die bisherige Website bleibt unverändert.",
        "en": "The site cannot be written: {detail}. The previous site is unchanged.",
    },
    "config-missing": {
        "de": "Die Konfigurationsdatei `{path}` gibt es nicht.",
        "en": "The configuration file `{path}` does not exist.",
    },
}

# Shown in messages where an expected type or target is named.
NOUNS: dict[str, dict[str, str]] = {
    "text": {"de": "ein Text", "en": "a text"},
    "number": {"de": "eine Zahl", "en": "a number"},
    "whole number": {"de": "eine ganze Zahl", "en": "a whole number"},
    "date": {"de": "ein Datum (JJJJ-MM-TT)", "en": "a date (YYYY-MM-DD)"},
    "true/false": {"de": "`true` oder `false`", "en": "`true` or `false`"},
    "list": {"de": "eine Liste (Zeilen mit `- `)", "en": "a list (lines starting with `- `)"},
    "mapping": {"de": "eine Gruppe von Feldern (`name: wert`)", "en": "a group of fields (`name: value`)"},
    "organization": {"de": "Organisation", "en": "organisation"},
    "proposal": {"de": "Vorschlag", "en": "proposal"},
    "nonprofit": {"de": "`nonprofit` (gemeinnützig)", "en": "`nonprofit`"},
    "company or public": {"de": "`company` (Unternehmen) oder `public` (öffentlich)", "en": "`company` or `public`"},
}


def noun(key: str, language: str) -> str:
    entry = NOUNS.get(key)
    return entry.get(language, entry["en"]) if entry else key


def message(code: str, language: str, **ctx: object) -> str:
    if code == "yaml-syntax" and ctx.get("problem") in ("tab", "colon", "control"):
        code = f"yaml-syntax-{ctx['problem']}"
    templates = MESSAGES[code]
    template = templates.get(language, templates["en"])
    return template.format(**ctx)
