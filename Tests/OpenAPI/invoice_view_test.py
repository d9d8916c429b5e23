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
try:
    driver.get(f"{URL}/#token={TOKEN}")

    def row(number):
        return driver.find_elements(By.CSS_SELECTOR, f'#invoices tbody tr[data-number="{number}"]')

    wait_for("the six invoices", lambda: driver.find_element(By.ID, "invoices").get_attribute("data-count") == "6"
             and row("F20260023") and row("TOSL108") and len(row("12115118")) == 2)
    assert driver.find_element(By.ID, "invoice-panel").is_displayed()
    assert driver.find_element(By.ID, "invoice-summary").text == "6 latest, 2 not conformant"

    # The UBL document, delivered twice (one event), and the same invoice in CII, dropped later.
    [koksmaat] = [r for r in row("12115118") if "UBL" in r.text]
    [copy] = [r for r in row("12115118") if "CII" in r.text]
    cells = [cell.text for cell in koksmaat.find_elements(By.TAG_NAME, "td")]
    assert cells[0] == "12115118" and cells[1].startswith("De Koksmaat") and cells[2] == "2015-01-09", cells
    assert cells[3] == "250.33 EUR" and cells[5] == "EN16931 · UBL" and cells[6] == "conformant", cells
    assert koksmaat.find_elements(By.CSS_SELECTOR, "td.verdict.valid"), cells
    duplicate = copy.find_element(By.CSS_SELECTOR, 'td.verdict.invalid li[data-rule="DUPLICATE"]').text
    assert hashlib.sha256(example1).hexdigest() in duplicate and "invoices-ubl" in duplicate, duplicate
    assert "before paying" in duplicate, duplicate
    assert "DUPLICATE" in copy.find_element(By.CSS_SELECTOR, "td.verdict").text.split("\n")[0], copy.text
    assert [r.find_element(By.CSS_SELECTOR, "td.verdict").text for r in row("TOSL110")] == ["conformant"] * 2

    [broken] = row("F20260023")
    siren = broken.find_element(By.CSS_SELECTOR, 'td.verdict.invalid li[data-rule="FR-SIREN"]').text
    assert len(siren) > len("FR-SIREN ") + 10, siren  # the rule with its message
    assert "LE FOURNISSEUR" in broken.text and "CII" in broken.text, broken.text
    assert row("TOSL108")[0].find_element(By.CSS_SELECTOR, "td.verdict").text == "conformant"

    # The selected invoice's Chorus Pro history, oldest first; a rejection after payment is flagged.
    selected_id = koksmaat.get_attribute("data-id")
    koksmaat.click()
    statuses = wait_for("the Chorus Pro history", lambda: [
        tr.get_attribute("data-status") for tr in driver.find_elements(By.CSS_SELECTOR, "#chorus-history tbody tr")
    ] if driver.find_element(By.ID, "chorus-history").get_attribute("data-count") == "8" else None)
    assert statuses == [code for code, _ in history] + ["REJETEE"], statuses
    assert driver.find_element(By.ID, "invoice-detail-number").text == "12115118"
    suspended = driver.find_element(By.CSS_SELECTOR, '#chorus-history tr[data-status="SUSPENDUE"]').text
    assert "Suspendue" in suspended and "bon de livraison manquant" in suspended and "4711" in suspended, suspended
    assert driver.find_elements(By.CSS_SELECTOR, '#chorus-history tr.final[data-status="MISE_EN_PAIEMENT"]')
    rejected = driver.find_element(By.CSS_SELECTOR, '#chorus-history tr.lifecycle-warning[data-status="REJETEE"]').text
    assert "MISE_EN_PAIEMENT" in rejected, rejected
    assert not driver.find_element(By.ID, "chorus-empty").is_displayed()
    # The history follows the refreshes (every 2 s) without losing the selection.
    time.sleep(2.5)
    selected = driver.find_element(By.CSS_SELECTOR, f'#invoices tr[data-id="{selected_id}"]')
    assert "selected" in selected.get_attribute("class"), selected.get_attribute("class")
    assert len(driver.find_elements(By.CSS_SELECTOR, "#invoices tr.selected")) == 1
    assert driver.find_element(By.ID, "chorus-history").get_attribute("data-count") == "8"
    driver.execute_script("document.getElementById('invoice-panel').scrollIntoView()")
    driver.save_screenshot(SCREENSHOT)
    shown = True

    row("TOSL108")[0].click()
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
