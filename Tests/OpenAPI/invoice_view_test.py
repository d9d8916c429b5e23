"""The dashboard's invoice view in a real headless Chromium (run by scripts/test-operations).

Drops real invoices into the running hub (the CEN/TC 434 examples and a Factur-X XML failing its
SIREN check, from Tests/EInvoicingPluginTests/Fixtures: posted to a UBL webhook and dropped into a
CII folder), and a Chorus Pro status history for one of them. Then checks what the view shows: each
invoice with its seller, date, total, profile and conformity, the failed rules with their messages
(the same invoice in CII after UBL marked DUPLICATE by the store's register), the selected
invoice's Chorus Pro status history in order; and that a token that may not read the invoice
routes sees no invoice, in the page and through the API.
"""
import hashlib
import json
import os
import pathlib
import time
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

URL = os.environ["HUB_URL"]
TOKEN = os.environ["HUB_TOKEN"]
VIEWER = os.environ["HUB_VIEWER_TOKEN"]
FIXTURES = pathlib.Path(os.environ["HUB_INVOICE_FIXTURES"])
CII_INBOX = pathlib.Path(os.environ["HUB_CII_INBOX"])
SCREENSHOT = os.environ["HUB_SCREENSHOT"]


def wait_for(description, condition, timeout=30):
    deadline = time.time() + timeout
    last_error = None
    while time.time() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception as error:  # the page may be redrawing the element being read
            last_error = error
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {description} (last error: {last_error})")


def request(method, path, token, body=None):
    call = urllib.request.Request(URL + path, data=body, method=method, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(call, timeout=30) as answer:
        return answer.status, json.loads(answer.read())


def post(route, body):
    status, answer = request("POST", f"/ingest/{route}", TOKEN, body)
    assert status == 202 and answer["status"] == "stored", (route, status, answer)


def drop(name, body):
    partial = CII_INBOX / (name + ".part")  # the folder door ignores .part names until renamed
    partial.write_bytes(body)
    partial.rename(CII_INBOX / name)


example1 = (FIXTURES / "ubl/ubl-tc434-example1.xml").read_bytes()  # 12115118 of De Koksmaat: conformant
post("invoices-ubl", example1)
post("invoices-ubl", example1)  # the same document again: not a duplicate, stored once
# TOSL110 of SellerCompany twice, but under two VAT numbers (DK, NL): two sellers, no duplicate.
post("invoices-ubl", (FIXTURES / "ubl/ubl-tc434-example4.xml").read_bytes())
post("invoices-ubl", (FIXTURES / "ubl/ubl-tc434-example5.xml").read_bytes())
drop("CII_example1.xml", (FIXTURES / "cii/CII_example1.xml").read_bytes())  # 12115118 again, in CII: DUPLICATE
drop("CII_example2.xml", (FIXTURES / "cii/CII_example2.xml").read_bytes())  # TOSL108: conformant
drop("factur-x-en16931.xml", (FIXTURES / "facturx-xml/factur-x-en16931.xml").read_bytes())  # F20260023: FR-SIREN
# Chorus Pro's history of invoice 12115118 (as Plugins/EInvoicing/ChorusStatus/sample.json), then a
# rejection after payment, which its lifecycle does not allow.
history = [("DEPOSEE", "2026-11-16T08:02:11Z"), ("MISE_A_DISPOSITION", "2026-11-16T08:05:40Z"),
           ("SUSPENDUE", "2026-11-18T14:20:00Z"), ("COMPLETEE", "2026-11-19T09:00:00Z"),
           ("SERVICE_FAIT", "2026-11-20T10:30:00Z"), ("MANDATEE", "2026-11-23T11:00:00Z"),
           ("MISE_EN_PAIEMENT", "2026-11-27T06:00:00Z")]
records = [{"statut": code, "dateStatut": at} for code, at in history]
records[2]["commentaire"] = "bon de livraison manquant"
post("chorus", json.dumps({"identifiantFactureCPP": 4711, "numeroFacture": "12115118", "historiqueStatuts": records}).encode())
post("chorus", json.dumps({"identifiantFactureCPP": 4711, "numeroFacture": "12115118", "statut": "REJETEE",
                           "statutPrecedent": "MISE_EN_PAIEMENT", "dateStatut": "2026-11-28T09:00:00Z"}).encode())

options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1600"):
    options.add_argument(argument)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
shown = False
# The tables are redrawn every 2 s: each is read whole in one script (no element goes stale between
# finding and reading it), and rows are clicked by id.
TABLE = """
return [...document.querySelectorAll(arguments[0] + ' tbody tr')].map(tr => ({
  id: tr.dataset.id, number: tr.dataset.number, status: tr.dataset.status, classes: tr.className,
  cells: [...tr.cells].map(td => td.innerText.trim()),
  verdict: tr.querySelector('td.verdict') ? tr.querySelector('td.verdict').className : null,
  rules: Object.fromEntries([...tr.querySelectorAll('li[data-rule]')].map(li => [li.dataset.rule, li.innerText])),
  fatal: [...tr.querySelectorAll('li[data-flag="fatal"]')].map(li => li.dataset.rule)}));
"""


def table(selector):
    return driver.execute_script(TABLE, selector)


def click_invoice(invoice_id):
    driver.execute_script("document.querySelector('#invoices tr[data-id=\"' + arguments[0] + '\"]').click()", invoice_id)


def summary(row):
    return row["cells"][6].split("\n")[0]


try:
    driver.get(f"{URL}/#token={TOKEN}")
    invoices = wait_for("the six invoices", lambda: (lambda rows: rows if len(rows) == 6 else None)(table("#invoices")))
    assert driver.find_element(By.ID, "invoice-panel").is_displayed()
    assert driver.find_element(By.ID, "invoice-summary").text == "6 latest, 2 not conformant"

    def rows(number):
        return [row for row in invoices if row["number"] == number]

    # The UBL document, delivered twice (one event), and the same invoice in CII, dropped later.
    [koksmaat] = [row for row in rows("12115118") if row["cells"][5].startswith("EN16931 · UBL")]
    [copy] = [row for row in rows("12115118") if row["cells"][5].startswith("EN16931 · CII")]
    cells = koksmaat["cells"]
    assert cells[0] == "12115118" and cells[1].startswith("De Koksmaat") and cells[2] == "2015-01-09", cells
    assert cells[3] == "250.33 EUR" and summary(koksmaat).startswith("conformant"), cells
    profile, *judged = cells[5].split("\n")  # and the reference it was judged against, when the event names one
    assert profile == "EN16931 · UBL" and all(line.startswith("judged against EN 16931") for line in judged), cells
    assert koksmaat["verdict"] == "verdict valid" and koksmaat["fatal"] == [], koksmaat
    assert copy["verdict"] == "verdict invalid" and copy["fatal"] == ["DUPLICATE"] and "DUPLICATE" in summary(copy), copy
    duplicate = copy["rules"]["DUPLICATE"]
    assert hashlib.sha256(example1).hexdigest() in duplicate and "invoices-ubl" in duplicate, duplicate
    assert "before paying" in duplicate, duplicate
    assert all(summary(row).startswith("conformant") for row in rows("TOSL110")) and len(rows("TOSL110")) == 2, rows("TOSL110")

    [broken] = rows("F20260023")
    assert broken["verdict"] == "verdict invalid" and "FR-SIREN" in broken["fatal"], broken
    assert len(broken["rules"]["FR-SIREN"]) > len("FR-SIREN ") + 10, broken  # the rule with its message
    assert "LE FOURNISSEUR" in broken["cells"][1] and "CII" in broken["cells"][5], broken
    assert summary(rows("TOSL108")[0]).startswith("conformant"), rows("TOSL108")

    # The selected invoice's Chorus Pro history, oldest first; a rejection after payment is flagged.
    click_invoice(koksmaat["id"])
    history_rows = wait_for("the Chorus Pro history", lambda: (lambda found: found if len(found) == 8 else None)(
        table("#chorus-history")))
    statuses = [row["status"] for row in history_rows]
    assert statuses == [code for code, _ in history] + ["REJETEE"], statuses
    assert driver.find_element(By.ID, "invoice-detail-number").text == "12115118"
    suspended = " ".join(history_rows[2]["cells"])
    assert "Suspendue" in suspended and "bon de livraison manquant" in suspended and "4711" in suspended, suspended
    assert "final" in history_rows[6]["classes"].split(), history_rows[6]
    assert "lifecycle-warning" in history_rows[7]["classes"].split(), history_rows[7]
    rejected = history_rows[7]["cells"]
    assert rejected[3] == "MISE_EN_PAIEMENT" and "Mise en paiement, a final status" in rejected[5], rejected
    assert not driver.find_element(By.ID, "chorus-empty").is_displayed()
    # The history follows the refreshes (every 2 s) without losing the selection.
    time.sleep(2.5)
    selected = [row["id"] for row in table("#invoices") if "selected" in row["classes"].split()]
    assert selected == [koksmaat["id"]], selected
    assert len(table("#chorus-history")) == 8
    driver.execute_script("document.getElementById('invoice-panel').scrollIntoView()")
    driver.save_screenshot(SCREENSHOT)
    shown = True

    click_invoice(rows("TOSL108")[0]["id"])
    wait_for("no history for an invoice Chorus Pro never reported",
             lambda: driver.find_element(By.ID, "chorus-empty").is_displayed()
             and driver.find_element(By.ID, "invoice-detail-number").text == "TOSL108")
    assert not driver.find_element(By.ID, "chorus-history").is_displayed()

    # A token that may read, but not the invoice routes: no invoice in the page, none through the API.
    driver.get("about:blank")
    driver.get(f"{URL}/#token={VIEWER}")
    routes = wait_for("the viewer's routes", lambda: [tr.get_attribute("data-route")
                                                      for tr in driver.find_elements(By.CSS_SELECTOR, "#routes tbody tr")])
    assert "invoices-ubl" not in routes and "chorus" not in routes and "air-quality" in routes, routes
    wait_for("the viewer's invoice listing", lambda: driver.find_element(By.ID, "invoices").get_attribute("data-count") == "0")
    assert not driver.find_element(By.ID, "invoice-panel").is_displayed()
    assert not driver.find_elements(By.CSS_SELECTOR, "#invoices tbody tr")
    status, answer = request("GET", "/api/v1/events?type=InvoiceReceived", VIEWER)
    assert status == 200 and answer["items"] == [], answer
    status, answer = request("GET", "/api/v1/invoice-statuses?number=12115118", VIEWER)
    assert status == 200 and answer["items"] == [], answer
    status, answer = request("GET", "/api/v1/invoice-statuses?" + urllib.parse.urlencode({"number": "12115118"}), TOKEN)
    assert [item["attributes"]["status"]["value"] for item in answer["items"]] == statuses, answer
finally:
    if not shown:  # what the page showed when a check failed
        driver.save_screenshot(SCREENSHOT)
    driver.quit()
print(f"invoice view test passed; screenshot {SCREENSHOT}")
