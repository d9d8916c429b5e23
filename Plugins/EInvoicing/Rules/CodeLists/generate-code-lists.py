#!/usr/bin/env python3
"""Generates EN16931CodeLists.swift from the CEN/TC 434 validation artefacts, once per artefact release.

usage: generate-code-lists.py ARTEFACT_ROOT > EN16931CodeLists.swift

ARTEFACT_ROOT is a checkout of github.com/ConnectingEurope/eInvoicing-EN16931 (or a copy holding its
ubl/schematron and cii/schematron folders). The code lists are the ones the artefact's Schematron
embeds in its BR-CL-* assertions (`contains(' A B C ', concat(' ', normalize-space(.), ' '))`): the
script reads each list where the rule uses it, checks that every rule using a list uses the same
codes, and that each list is written as single spaces between codes (so that the artefact's substring
test is exactly set membership). Where UBL and CII differ, both lists are kept, named per syntax.
"""
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

SCHEMATRON = "{http://purl.oclc.org/dsdl/schematron}"

# (Swift name, syntax, Schematron file, rule id, index of the list literal in the assert's test),
# with the documentation the Swift constant carries. The first occurrence of a list is the one kept;
# the others must be identical.
LISTS = [
    ("untdid1001InvoiceUBL", "UBL invoice type codes (BT-3 on a UBL Invoice): UNTDID 1001, the invoice subset", [("ubl", "BR-CL-01", 0)]),
    ("untdid1001CreditNoteUBL", "UBL credit note type codes (BT-3 on a UBL CreditNote): UNTDID 1001, the credit note subset", [("ubl", "BR-CL-01", 1)]),
    ("untdid1001CII", "CII document type codes (BT-3): UNTDID 1001, invoice and credit note codes in one list", [("cii", "BR-CL-01", 0)]),
    ("iso4217", "Currency codes (BT-5, BT-6, every amount's currencyID): ISO 4217 alpha-3", [
        ("ubl", "BR-CL-03", 0), ("ubl", "BR-CL-04", 0), ("ubl", "BR-CL-05", 0),
        ("cii", "BR-CL-03", 0), ("cii", "BR-CL-04", 0), ("cii", "BR-CL-05", 0)]),
    ("untdid2005UBL", "UBL value added tax point date codes (BT-8): the UNTDID 2005 restriction", [("ubl", "BR-CL-06", 0)]),
    ("untdid2475CII", "CII value added tax point date codes (BT-8): the UNTDID 2475 restriction", [("cii", "BR-CL-06", 0)]),
    ("untdid1153", "Reference code qualifiers (BT-18-1, BT-128-1): UNTDID 1153", [("ubl", "BR-CL-07", 0), ("cii", "BR-CL-07", 0)]),
    ("untdid4451", "Text subject qualifiers (BT-21) as the CII code list pattern checks them: UNTDID 4451", [("cii", "BR-CL-08", 0)]),
    ("untdid4451UBL", "Text subject qualifiers (BT-21) as the UBL model checks them (`#code#` in a note): UNTDID 4451, "
                      "the UBL artefact's own copy", [("ublmodel", "BR-CL-08", 0)]),
    ("iso6523ICD", "Identifier scheme codes (BT-29-1, BT-30-1, BT-46-1, BT-47-1, BT-60-1, BT-61-1, BT-71-1, BT-157-1): ISO/IEC 6523 ICD", [
        ("ubl", "BR-CL-10", 0), ("ubl", "BR-CL-11", 0), ("ubl", "BR-CL-21", 0), ("ubl", "BR-CL-26", 0),
        ("cii", "BR-CL-10", 0), ("cii", "BR-CL-11", 0), ("cii", "BR-CL-21", 0), ("cii", "BR-CL-26", 0)]),
    ("untdid7143", "Item classification scheme codes (BT-158-1): UNTDID 7143", [("ubl", "BR-CL-13", 0), ("cii", "BR-CL-13", 0)]),
    ("iso3166UBL", "Country codes (BT-40, BT-55, BT-69, BT-80, BT-159, ...) as the UBL artefact lists them: ISO 3166-1 "
                   "alpha-2 with 1A (Kosovo) and XI (Northern Ireland); it has SS (South Sudan) where the CII list has AN", [
        ("ubl", "BR-CL-14", 0), ("ubl", "BR-CL-15", 0)]),
    ("iso3166CII", "Country codes (BT-40, BT-55, BT-69, BT-80, BT-159, ...) as the CII artefact lists them: ISO 3166-1 "
                   "alpha-2 with 1A (Kosovo) and XI (Northern Ireland); it has AN (the former Netherlands Antilles) where "
                   "the UBL list has SS", [
        ("cii", "BR-CL-14", 0), ("cii", "BR-CL-15", 0)]),
    ("untdid4461", "Payment means codes (BT-81): UNTDID 4461", [("ubl", "BR-CL-16", 0), ("cii", "BR-CL-16", 0)]),
    ("untdid5305", "VAT category codes (BT-95, BT-102, BT-118, BT-151): the UNTDID 5305 subset", [
        ("ubl", "BR-CL-17", 0), ("ubl", "BR-CL-18", 0), ("cii", "BR-CL-17", 0), ("cii", "BR-CL-18", 0)]),
    ("untdid5189", "Allowance reason codes (BT-98, BT-140): the UNTDID 5189 subset", [("ubl", "BR-CL-19", 0), ("cii", "BR-CL-19", 0)]),
    ("untdid7161", "Charge reason codes (BT-105, BT-145): UNTDID 7161", [("ubl", "BR-CL-20", 0), ("cii", "BR-CL-20", 0)]),
    ("vatex", "VAT exemption reason codes (BT-121): CEF VATEX", [("ubl", "BR-CL-22", 0), ("cii", "BR-CL-22", 0)]),
    ("unitCodes", "Unit of measure codes (BT-130, BT-150): UN/ECE Recommendation 20 with the Recommendation 21 extension", [
        ("ubl", "BR-CL-23", 0), ("cii", "BR-CL-23", 0)]),
    ("mimeCodes", "Attachment MIME codes (BT-125-1): the MIMEMediaType subset EN 16931 allows", [("ubl", "BR-CL-24", 0), ("cii", "BR-CL-24", 0)]),
    ("eas", "Electronic address scheme codes (BT-34-1, BT-49-1): CEF EAS", [("ubl", "BR-CL-25", 0), ("cii", "BR-CL-25", 0)]),
]

FILES = {
    "ubl": "ubl/schematron/codelist/EN16931-UBL-codes.sch",
    "cii": "cii/schematron/codelist/EN16931-CII-codes.sch",
    "ublmodel": "ubl/schematron/UBL/EN16931-UBL-model.sch",
}


def asserts(path):
    """Rule id to test expression, for every BR-CL-* assert in the Schematron file (or, in the UBL
    model, every BR-CL-* parameter binding the abstract model's assert to UBL)."""
    tests = {}
    document = ET.parse(path).getroot()
    for element in document.iter(SCHEMATRON + "assert"):
        if element.get("id", "").startswith("BR-CL-"):
            tests[element.get("id")] = element.get("test")
    for element in document.iter(SCHEMATRON + "param"):
        if element.get("name", "").startswith("BR-CL-"):
            tests[element.get("name")] = element.get("value")
    return tests


def literals(test):
    """The code lists of one test, in order: `' A B C '` literals, or the mimeCode equalities."""
    mime = re.findall(r"@mimeCode\s*=\s*'([^']*)'", test)
    if mime:
        return [mime]
    found = []
    for literal in re.findall(r"'([^']*)'", test):
        if literal.strip() == "" or literal == " " or not (literal.startswith(" ") and literal.endswith(" ")):
            continue
        codes = literal[1:-1].split(" ")
        if any(code == "" or re.search(r"\s", code) for code in codes):
            raise SystemExit(f"a code list is not single-space separated: {literal[:80]}...")
        if len(codes) != len(set(codes)):
            raise SystemExit(f"a code list repeats a code: {literal[:80]}...")
        found.append(codes)
    return found


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    root = Path(sys.argv[1])
    tests = {syntax: asserts(root / path) for syntax, path in FILES.items()}
    out = []
    out.append("// Generated by generate-code-lists.py from the CEN/TC 434 EN 16931 validation artefacts")
    out.append("// (github.com/ConnectingEurope/eInvoicing-EN16931, EUPL-1.2); see README.md beside it for the")
    out.append("// release and each list's version and count. Do not edit: regenerate.")
    out.append("")
    out.append("/// The code lists EN 16931's BR-CL-* rules check, exactly as the CEN/TC 434 artefacts embed them.")
    out.append("/// A value is in a list when its normalized text is one of the codes (the artefacts' `contains(' A B ',")
    out.append("/// concat(' ', normalize-space(.), ' '))` with no space in the value is exactly that).")
    out.append("enum EN16931CodeLists {")
    summary = []
    for name, doc, uses in LISTS:
        kept = None
        for syntax, rule, index in uses:
            codes = literals(tests[syntax][rule])[index]
            if kept is None:
                kept = codes
            elif sorted(codes) != sorted(kept):
                raise SystemExit(f"{name}: {syntax} {rule} uses a different list; give it its own name")
        summary.append((name, len(kept), ", ".join(sorted({f"{s.replace('model', '')} {r}" for s, r, _ in uses}))))
        out.append(f"    /// {doc}: {len(kept)} codes.")
        out.append(f"    static let {name}: Set<String> = [")
        line = "       "
        for code in kept:
            item = f' "{code}",'
            if len(line) + len(item) > 116:
                out.append(line)
                line = "       "
            line += item
        out.append(line)
        out.append("    ]")
        out.append("")
    out[-1] = "}"
    print("\n".join(out))
    for name, count, rules in summary:
        print(f"{name}: {count} codes ({rules})", file=sys.stderr)


if __name__ == "__main__":
    main()
