#!/usr/bin/python3
"""The dashboard in a real browser: Debian's Chromium, driven by Debian's chromedriver through Selenium
(python3-selenium), headless.

    live_study_page.py STUDY_URL SCREENSHOT.png REQUESTED_X

Opens a study page of a running `tuner dashboard` while a search runs beside it, prints READY once the
page is live, then waits (without reloading) until:
  1. a trial the page did not have appears as a new row of the trials table,
  2. that trial's epochs cell grows (a new epoch of a running trial),
  3. its row turns COMPLETE and the status line counts it,
and checks that the page was never reloaded. It saves the study's note from a second tab and waits until
the open page shows it, as text (no element made of its markup), still without a reload. Keeps a
screenshot. Then it steers the search:
  4. it asks for a trial with x = REQUESTED_X through the study page's form, and reloads the page until
     the request says which trial it became (ENQUEUED N), and waits for that trial's row to be RUNNING,
  5. it opens that trial's page, presses its stop button, and waits (live, without reloading) until the
     trial's state turns PRUNED; it keeps a second screenshot (SCREENSHOT with -stopped).
Prints "ENQUEUED N" for the caller, who checks the store and what the command ran. The browser console
must show no error on any page. Exits 0 when all holds; otherwise prints what did not happen to stderr
and exits 1.
"""
import sys
import time

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def row_numbers(driver):
    """The trial numbers of the table's rows, read in one go."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#trials-table tbody tr'))"
        ".map(function (row) { return Number(row.getAttribute('data-number')); });")


def console_errors(driver):
    """The console's errors since the last look."""
    return [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]


NOTE = "<b>x near 1</b> looks best\nask for 1.2345"


def live_note(driver, failures):
    """Saves the study's note from a second tab; the first tab's note must follow live, as text."""
    wait = WebDriverWait(driver, 30, poll_frequency=0.1, ignored_exceptions=[StaleElementReferenceException])
    first = driver.current_window_handle
    url = driver.current_url.split("#")[0]
    driver.switch_to.new_window("tab")
    driver.get(url)
    area = driver.find_element(By.NAME, "note")
    area.clear()
    area.send_keys(NOTE)
    driver.find_element(By.CSS_SELECTOR, "#note button[type=submit]").click()
    # The tab navigates (POST, then the study page again): read the new document by script, and let a look
    # that met the navigation look again.
    WebDriverWait(driver, 30, poll_frequency=0.1, ignored_exceptions=[WebDriverException]).until(
        lambda d: d.execute_script("var n = document.getElementById('study-note'); return n ? n.textContent : null;") == NOTE)
    driver.close()
    driver.switch_to.window(first)
    try:
        wait.until(lambda d: d.execute_script("return document.getElementById('study-note').textContent;") == NOTE)
        print("note: live", flush=True)
    except TimeoutException:
        failures.append("the note saved in another tab did not reach the open page")
    if driver.execute_script("return document.querySelectorAll('#study-note b').length;") != 0:
        failures.append("the note's markup became elements")
    if driver.execute_script("return window.__tunerNoReload;") != "still here":
        failures.append("the page was reloaded for the note")


def steer(driver, url, requested_x, screenshot, failures):
    """Asks for a trial through the form, then stops it from its page once it runs."""
    # Forms navigate (POST, then a page): a look that met the navigation looks again.
    wait = WebDriverWait(driver, 60, poll_frequency=0.1, ignored_exceptions=[WebDriverException])
    field = driver.find_element(By.NAME, "hp.x")
    field.clear()
    field.send_keys(requested_x)
    driver.find_element(By.CSS_SELECTOR, "#request-trial button[type=submit]").click()
    wait.until(lambda d: d.find_elements(By.ID, "request-list"))
    # The list of requests is drawn when the page is read: reload until a worker took the request.
    number = None
    deadline = time.time() + 60
    while number is None and time.time() < deadline:
        text = driver.find_element(By.ID, "request-list").text
        if "rejected" in text:
            failures.append(f"the request was rejected: {text!r}")
            return
        marker = "enqueued as trial "
        if marker in text:
            number = int(text.split(marker, 1)[1].split()[0])
        else:
            time.sleep(1)
            driver.refresh()
    if number is None:
        failures.append("no worker took the requested trial within 60 s")
        return
    print(f"ENQUEUED {number}", flush=True)

    def state(d):
        return d.execute_script(
            "var row = document.getElementById('trial-' + arguments[0]);"
            " return row ? row.getAttribute('data-state') : null;", number)
    try:
        wait.until(lambda d: state(d) in ("RUNNING", "COMPLETE", "PRUNED", "FAILED"))
    except TimeoutException:
        failures.append(f"the requested trial {number} never showed on the study page")
        return
    if state(driver) != "RUNNING":
        failures.append(f"the requested trial {number} was {state(driver)} before it could be stopped")
        return
    driver.get(url + f"/trials/{number}")
    wait.until(lambda d: d.find_element(By.ID, "live-status").text == "live")
    driver.find_element(By.CSS_SELECTOR, "#stop-trial button[type=submit]").click()
    try:
        wait.until(lambda d: d.find_elements(By.ID, "stop-requested"))
        wait.until(lambda d: d.find_element(By.ID, "live-status").text == "live")
    except TimeoutException:
        failures.append(f"the trial page of {number} does not say a stop was asked: {driver.find_element(By.TAG_NAME, 'main').text[:600]!r}")
        return
    try:
        wait.until(lambda d: d.find_element(By.ID, "trial-state").text == "PRUNED")
        print(f"trial {number}: PRUNED", flush=True)
    except TimeoutException:
        failures.append(f"trial {number} stayed {driver.find_element(By.ID, 'trial-state').text} after its stop")
    driver.save_screenshot(screenshot.replace(".png", "-stopped.png"))


def main():
    url, screenshot, requested_x = sys.argv[1], sys.argv[2], sys.argv[3]
    options = Options()
    options.binary_location = CHROMIUM
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,2000", "--no-first-run", "--disable-extensions"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    failures = []
    try:
        driver.get(url)
        # Rows are replaced as events come: read them in one script call each time, and let a look that
        # raced a replacement simply look again.
        wait = WebDriverWait(driver, 60, poll_frequency=0.1, ignored_exceptions=[StaleElementReferenceException])
        wait.until(lambda d: d.find_element(By.ID, "live-status").text == "live")
        # A mark that a reload would wipe.
        driver.execute_script("window.__tunerNoReload = 'still here';")
        known = set(row_numbers(driver))
        print(f"READY {len(known)} rows", flush=True)

        def new_row(d):
            fresh = [number for number in row_numbers(d) if number not in known]
            return fresh[0] if fresh else False

        try:
            number = wait.until(new_row)
        except TimeoutException:
            failures.append("no new trial row appeared within 60 s")
            number = None
        if number is not None:
            print(f"new row: trial {number}", flush=True)

            def epochs(d):
                text = d.execute_script(
                    "var cell = document.querySelector('#trial-' + arguments[0] + \" td[data-col='epochs']\");"
                    " return cell ? cell.textContent : '';", number)
                return int(text or "0")

            def state(d):
                return d.execute_script(
                    "var row = document.getElementById('trial-' + arguments[0]);"
                    " return row ? row.getAttribute('data-state') : null;", number)

            first = epochs(driver)
            try:
                wait.until(lambda d: epochs(d) > first)
                print(f"trial {number}: epochs {first} -> {epochs(driver)}", flush=True)
            except TimeoutException:
                failures.append(f"the epochs of trial {number} stayed at {first}")
            try:
                wait.until(lambda d: state(d) == "COMPLETE")
                print(f"trial {number}: COMPLETE", flush=True)
            except TimeoutException:
                failures.append(f"trial {number} stayed {state(driver)}")
            summary = driver.find_element(By.ID, "live-summary").text
            if "COMPLETE" not in summary:
                failures.append(f"the status line does not count COMPLETE trials: {summary!r}")
            def counts(d):
                return d.execute_script(
                    "return [Array.from(document.querySelectorAll(\"span[data-count='all']\"))"
                    ".map(function (span) { return span.textContent; }).join(' '),"
                    " Array(2).fill(String(document.querySelectorAll('#trials-table tbody tr').length)).join(' ')];")
            try:
                # Between a batch's trial event and its summary event the two may differ for a moment.
                WebDriverWait(driver, 5, poll_frequency=0.1).until(lambda d: counts(d)[0] == counts(d)[1])
            except TimeoutException:
                counted, shown = counts(driver)
                failures.append(f"the state filter counts {counted} trials, the table shows {shown}")
        if driver.execute_script("return window.__tunerNoReload;") != "still here":
            failures.append("the page was reloaded")
        for entry in console_errors(driver):
            failures.append(f"console: {entry.get('message')}")
        live_note(driver, failures)
        driver.save_screenshot(screenshot)
        steer(driver, url, requested_x, screenshot, failures)
        for entry in console_errors(driver):
            failures.append(f"console: {entry.get('message')}")
    finally:
        driver.quit()
    if failures:
        for failure in failures:
            print(f"FAIL {failure}", file=sys.stderr)
        return 1
    print("OK", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
