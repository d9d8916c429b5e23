"""The live stream resumed by a real SSE client library (httpx-sse) against a running, fed hub (run
by scripts/test-operations).

A client reads a few events and leaves; five readings are posted while it is away (and the simulated
gateways go on publishing); it comes back
with the Last-Event-ID of the last event it saw. It must get those five, and between the two
connections every event exactly once: the stream is unfiltered and the token reads every route, so
the ids (the store's sequence numbers) it sees must be consecutive, with no gap and no repeat.
"""
import json
import os
import sys
import time

import httpx
from httpx_sse import connect_sse

URL = os.environ["HUB_URL"]
TOKEN = os.environ["HUB_TOKEN"]
HEADERS = {"Authorization": f"Bearer {TOKEN}"}


def read_events(client, count=None, last_event_id=None, until=None, timeout=30):
    """Events from the stream: `count` of them, or until `until(events)` holds."""
    headers = dict(HEADERS)
    if last_event_id is not None:
        headers["Last-Event-ID"] = last_event_id
    events = []
    deadline = time.time() + timeout
    with connect_sse(client, "GET", f"{URL}/api/v1/stream", headers=headers) as source:
        source.response.raise_for_status()
        for sse in source.iter_sse():
            if sse.event != "event":
                continue
            assert sse.id, f"an event without id: {sse.data[:200]}"
            events.append((int(sse.id), json.loads(sse.data)))
            if count is not None and len(events) >= count:
                break
            if until is not None and until(events):
                break
            if time.time() > deadline:
                raise AssertionError(f"timed out after {len(events)} events")
    return events


def main():
    with httpx.Client(timeout=httpx.Timeout(30.0)) as client:
        first = read_events(client, count=3)
        last_id = first[-1][0]
        posted = [f"resume-{int(time.time() * 1000)}-{n}" for n in range(5)]
        for device in posted:
            answer = client.post(f"{URL}/ingest/partner", headers=HEADERS, content=json.dumps(
                {"device": device, "observedAt": "2026-11-22T08:00:00Z", "no2": 1.5}))
            assert answer.status_code == 202 and answer.json()["status"] == "stored", answer.text
        wanted = {f"urn:ngsi-ld:AirQualityObserved:{device}" for device in posted}
        time.sleep(1.5)  # the simulated gateways go on publishing meanwhile

        def posted_then_live(events):
            """The posted readings, then five simulated ones (from the store, then live)."""
            entities = [event["entity"] for _, event in events]
            if not wanted <= set(entities):
                return False
            last_posted = max(index for index, entity in enumerate(entities) if entity in wanted)
            return sum(1 for _, event in events[last_posted + 1:] if event["route"] == "air-quality") >= 5

        resumed = read_events(client, last_event_id=str(last_id), until=posted_then_live)
        ids = [seq for seq, _ in first] + [seq for seq, _ in resumed]
        expected = list(range(ids[0], ids[0] + len(ids)))
        if ids != expected:
            missing = sorted(set(expected) - set(ids))
            repeated = sorted({seq for seq in ids if ids.count(seq) > 1})
            raise AssertionError(f"ids across the reconnection are not each stored event once: missing {missing}, "
                                 f"repeated {repeated}, received {ids}")
        bad = client.get(f"{URL}/api/v1/stream", headers={**HEADERS, "Last-Event-ID": "not-a-number"})
        assert bad.status_code == 400, bad.text
    print(f"stream resumed after id {last_id}: {len(resumed)} events, the 5 posted while away and later live ones, none twice")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as error:
        print(f"stream resume test failed: {error}", file=sys.stderr)
        sys.exit(1)
