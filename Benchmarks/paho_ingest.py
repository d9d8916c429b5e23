"""The baseline of `hub bench compare`: what a city's IT team writes in an afternoon to put MQTT
readings into SQLite with paho-mqtt and Python's sqlite3.

It subscribes with QoS 1 and a persistent session, parses each reading's JSON and inserts a row
(device, observation time, reception time, the two pollutants, the payload), committing every
1,000 rows or 200 ms, and exits once --count rows are committed. It prints "subscribed" when the
broker acknowledged the subscription.
"""
import argparse
import json
import sqlite3
import sys
import time

import paho.mqtt.client as mqtt


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--client-id", required=True)
    options = parser.parse_args()

    db = sqlite3.connect(options.db)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE IF NOT EXISTS readings (id INTEGER PRIMARY KEY, device TEXT, observed INTEGER,"
               " received INTEGER, pm25 REAL, no2 REAL, payload TEXT)")
    pending = []
    state = {"stored": 0, "last_commit": time.monotonic()}

    def commit():
        if pending:
            db.executemany("INSERT INTO readings (device, observed, received, pm25, no2, payload) VALUES (?, ?, ?, ?, ?, ?)", pending)
            db.commit()
            state["stored"] += len(pending)
            pending.clear()
        state["last_commit"] = time.monotonic()

    def on_connect(client, userdata, flags, reason_code, properties):
        client.subscribe(options.topic, qos=1)

    def on_subscribe(client, userdata, mid, reason_codes, properties):
        print("subscribed", flush=True)

    def on_message(client, userdata, message):
        text = message.payload.decode("utf-8", "replace")
        try:
            reading = json.loads(text)
        except ValueError:
            reading = {}
        if not isinstance(reading, dict):
            reading = {}
        pending.append((reading.get("device"), reading.get("ts"), time.time_ns() // 1000,
                        reading.get("pm25"), reading.get("no2"), text))
        if len(pending) >= 1000:
            commit()

    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=options.client_id, clean_session=False)
    client.on_connect = on_connect
    client.on_subscribe = on_subscribe
    client.on_message = on_message
    client.connect("127.0.0.1", options.port)
    while state["stored"] + len(pending) < options.count:
        client.loop(timeout=0.05)
        if time.monotonic() - state["last_commit"] > 0.2:
            commit()
    commit()
    client.disconnect()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
