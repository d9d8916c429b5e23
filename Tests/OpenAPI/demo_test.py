"""`hub demo` in a real headless Chromium (run by scripts/test-demo): opens the URL the demo's first run
printed (the token in its fragment) and checks that, within a minute, the dashboard shows sensors on
the map, buses moving, bike stations, traffic alerts, invoices with their verdicts, dead letters and
device health. Saves a screenshot (HUB_SCREENSHOT).
"""
import os
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

URL = os.environ["HUB_DEMO_URL"]
SCREENSHOT = os.environ["HUB_SCREENSHOT"]
started = time.time()


def wait_for(description, condition, timeout=60):
    deadline = started + timeout  # everything must appear within a minute of the page opening
    last_error = None
    while time.time() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception as error:  # the page may be redrawing the element being read
            last_error = error
        time.sleep(0.25)
    raise AssertionError(f"{description}: not shown within {timeout} s (last error: {last_error})")


def map_points():
    """The map's points as (entity, type, x, y), read in one call (the map is redrawn every 2 s)."""
    return driver.execute_script(
        "return [...document.querySelectorAll('#map circle')].map(c => [c.dataset.entity, c.dataset.type, c.getAttribute('cx'), c.getAttribute('cy')])")


def circles(entity_prefix):
    return {entity: (x, y) for entity, _, x, y in map_points() if entity.startswith(entity_prefix)}


options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,1700",
                 "--hide-scrollbars", "--force-device-scale-factor=0.75"):
    options.add_argument(argument)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    assert "#token=" in URL, URL
    driver.get(URL)
    assert "Territory hub" in driver.title, driver.title
    wait_for("the stream connected with the printed token", lambda: driver.find_element(By.ID, "connection").text == "live")
    # The token left the address bar but is kept for the session, like a typed one.
    assert "#token=" not in driver.current_url, driver.current_url

    wait_for("sensors on the map", lambda: {kind for _, kind, _, _ in map_points()} & {
        "AirQualityObserved", "ParkingSpot", "TrafficFlowObserved", "NoiseLevelObserved", "WaterConsumptionObserved"})
    buses = wait_for("buses on the map", lambda: circles("urn:ngsi-ld:Vehicle"))
    wait_for("a bus moving", lambda: any(circles("urn:ngsi-ld:Vehicle").get(bus) not in (None, where) for bus, where in buses.items()))

    wait_for("bike stations", lambda: len(driver.find_elements(By.CSS_SELECTOR, "#bikes tbody tr")) >= 5)
    wait_for("a traffic alert", lambda: driver.find_elements(By.CSS_SELECTOR, "#traffic tbody tr.alert"))
    wait_for("traffic jams", lambda: driver.find_elements(By.CSS_SELECTOR, "#traffic tbody tr.jam"))
    wait_for("a valid invoice", lambda: driver.find_elements(By.CSS_SELECTOR, "#invoices td.verdict.valid"))
    failed = wait_for("an invoice failing its checks", lambda: driver.find_elements(By.CSS_SELECTOR, "#invoices td.verdict.invalid"))
    assert "fails" in failed[0].text, failed[0].text
    wait_for("dead letters", lambda: driver.find_elements(By.CSS_SELECTOR, "#deadletters tbody tr[data-id]"))
    wait_for("device health", lambda: len(driver.find_elements(By.CSS_SELECTOR, "#devices tbody tr.device-active")) >= 5)
    assert "devices" in driver.find_element(By.ID, "device-summary").text
    routes = {row.get_attribute("data-route") for row in driver.find_elements(By.CSS_SELECTOR, "#routes tbody tr")}
    assert {"buses", "bikes", "departures", "traffic", "invoices-ubl", "invoices-cii", "invoices-facturx"} <= routes, routes
    print(f"every part of the demo shown {time.time() - started:.1f} s after the page opened")
    # For the README's picture, let the first minute's invoices arrive (HUB_SCREENSHOT_WAIT seconds).
    time.sleep(float(os.environ.get("HUB_SCREENSHOT_WAIT", "1")))
finally:
    # The territory itself: the map and the panels beside and below it.
    driver.execute_script("document.getElementById('map').closest('section').scrollIntoView()")
    driver.save_screenshot(SCREENSHOT)
    driver.quit()
print(f"demo test passed; screenshot {SCREENSHOT}")
