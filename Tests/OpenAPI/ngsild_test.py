"""The NGSI-LD read side through ngsildclient (PyPI), against a running, fed hub (run by scripts/test-operations).

The hub's `partner` webhook receives five stations at fixed places in Paris with three readings
each, so that every filter has an exact answer, computed here independently from the readings;
the simulated Lyon stations keep arriving over MQTT meanwhile. Prints one line per check and
'N passed, N failed' at the end; exits non-zero when any check fails.
"""
import json
import math
import os
import sys
import traceback
from urllib.parse import quote, urlparse

import requests
from ngsildclient import Client, Entity
from ngsildclient.api.exceptions import (NgsiBadRequestDataError, NgsiOperationNotSupportedError,
                                         NgsiResourceNotFoundError)

URL = os.environ["HUB_URL"]
TOKEN = os.environ["HUB_TOKEN"]
BASE = f"{URL}/ngsi-ld/v1"
CORE = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld"
SDM = "https://smartdatamodels.org/context.jsonld"
LINK = '<{}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"'


class Bearer(requests.auth.AuthBase):
    def __call__(self, request):
        request.headers["Authorization"] = f"Bearer {TOKEN}"
        return request


# Five stations, three readings each (the last one is the latest state).
STATIONS = {
    "ngsi-a": {"lat": 48.8566, "lon": 2.3522, "no2": [10, 12, 14], "temperature": [4.5, 5.0, 5.5]},
    "ngsi-b": {"lat": 48.8606, "lon": 2.3376, "no2": [40, 45, 50], "temperature": [8.0, 8.5, 9.0]},
    "ngsi-c": {"lat": 48.8738, "lon": 2.2950, "no2": [70, 75, 80], "temperature": [12.0, 12.5, 13.0]},
    "ngsi-d": {"lat": 48.8530, "lon": 2.3499, "no2": [20, 30, 40], "temperature": [6.0, 6.0, 6.0]},
    "ngsi-e": {"lat": 48.8462, "lon": 2.3371, "no2": [90, 95, 99], "temperature": [15.0, 16.0, 17.0]},
}
OURS = ":ngsi-[a-e]$"  # the ids of the stations below (every id holds "ngsi-ld")
TIMES = ["2026-11-20T08:00:00Z", "2026-11-20T09:00:00Z", "2026-11-20T10:00:00Z"]


def urn(name):
    return f"urn:ngsi-ld:AirQualityObserved:{name}"


def latest(name, attribute):
    return STATIONS[name][attribute][-1]


def distance(lat1, lon1, lat2, lon2):
    r = 6371008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1, math.sqrt(h)))


def feed():
    session = requests.Session()
    session.auth = Bearer()
    for name, station in STATIONS.items():
        for index, time in enumerate(TIMES):
            reading = {"device": name, "observedAt": time, "lat": station["lat"], "lon": station["lon"],
                       "no2": station["no2"][index], "temperature": station["temperature"][index]}
            answer = session.post(f"{URL}/ingest/partner", data=json.dumps(reading))
            assert answer.status_code == 202 and answer.json()["status"] == "stored", answer.text


host = urlparse(URL)
client = None
session = requests.Session()
session.auth = Bearer()


def get(path, accept="application/json", **params):
    return session.get(f"{BASE}/{path}", params=params, headers={"Accept": accept})


def ids(response):
    assert response.status_code == 200, (response.status_code, response.text)
    return sorted(entity["id"] for entity in response.json())


def ours(**params):
    """The test stations among the entities a query returns."""
    return ids(get("entities", idPattern=OURS, limit=1000, **params))


CHECKS = []


def check(function):
    CHECKS.append(function)
    return function


@check
def the_client_connects_with_its_probe():
    # ngsildclient probes GET /entities?type=None&limit=0&count=true when it is created.
    global client
    client = Client(hostname=host.hostname, port=host.port, custom_auth=Bearer(), verbose=False)
    assert client.is_connected()
    probe = get("entities", type="None", limit=0, count="true")
    assert probe.status_code == 200 and probe.json() == [] and probe.headers["NGSILD-Results-Count"] == "0", probe.text


@check
def count_and_pages_are_exact():
    total = client.count(type="AirQualityObserved")
    assert total >= 15, total  # ten simulated stations, five here, the restricted route's one
    everything = client.query(type="AirQualityObserved", limit=4)
    assert len(everything) == total == len({entity.id for entity in everything}), (total, len(everything))
    assert all(isinstance(entity, Entity) and entity.type == "AirQualityObserved" for entity in everything)
    first = get("entities", idPattern=OURS, limit=2, offset=0, count="true")
    second = get("entities", idPattern=OURS, limit=2, offset=2, count="true")
    third = get("entities", idPattern=OURS, limit=2, offset=4, count="true")
    assert first.headers["NGSILD-Results-Count"] == "5", first.headers
    assert ids(first) + ids(second) + ids(third) == sorted(urn(name) for name in STATIONS)


@check
def an_entity_is_retrieved_normalized_with_its_context():
    entity = client.get(urn("ngsi-b"))
    assert entity.id == urn("ngsi-b") and entity["@context"] == CORE, entity.to_dict()
    assert entity["no2"]["type"] == "Property" and entity["no2"]["value"] == 50, entity["no2"]
    assert entity["no2"]["observedAt"].startswith("2026-11-20T10:00:00"), entity["no2"]
    assert entity["refDevice"] == {"type": "Relationship", "object": "urn:ngsi-ld:Device:ngsi-b",
                                   "observedAt": entity["no2"]["observedAt"]}, entity["refDevice"]
    assert entity["location"]["type"] == "GeoProperty"
    assert entity["location"]["value"] == {"type": "Point", "coordinates": [2.3376, 48.8606]}
    assert client.entities.exists(urn("ngsi-b"))
    plain = get(f"entities/{urn('ngsi-b')}")
    assert "@context" not in plain.json() and CORE in plain.headers["Link"], plain.headers
    head = session.head(f"{BASE}/entities/{urn('ngsi-b')}")
    assert head.status_code == 200 and head.content == b"" and head.headers["Content-Type"] == "application/json"
    try:
        client.get(urn("nobody"))
        raise AssertionError("an unknown entity was found")
    except NgsiResourceNotFoundError as error:
        assert error.problemdetails.status == 404


@check
def q_filters_by_attribute_values():
    def expect(predicate):
        return sorted(urn(name) for name in STATIONS if predicate(name))
    assert ours(q="no2>45") == expect(lambda n: latest(n, "no2") > 45)
    assert ours(q="no2>=40;temperature<10") == expect(lambda n: latest(n, "no2") >= 40 and latest(n, "temperature") < 10)
    assert ours(q="no2<20|temperature>15") == expect(lambda n: latest(n, "no2") < 20 or latest(n, "temperature") > 15)
    assert ours(q="(no2==14,99|temperature==9..13);no2!=80") == expect(
        lambda n: (latest(n, "no2") in (14, 99) or 9 <= latest(n, "temperature") <= 13) and latest(n, "no2") != 80)
    assert ours(q='refDevice=="urn:ngsi-ld:Device:ngsi-c"') == [urn("ngsi-c")]
    assert ours(q="no2.observedAt>2026-11-20T09:30:00Z") == sorted(urn(n) for n in STATIONS)
    assert ours(q="no2.observedAt<2026-11-20T09:30:00Z") == []
    assert ours(q="pm10") == [] and ours(q="!pm10") == sorted(urn(n) for n in STATIONS)
    via_client = client.query(type="AirQualityObserved", q="no2>45;no2<100")
    assert sorted(e.id for e in via_client if e.id in {urn(n) for n in STATIONS}) == expect(lambda n: 45 < latest(n, "no2") < 100)
    for bad in ["no2>", "no2==(1", "(no2>1", "no2~=("]:
        response = get("entities", type="AirQualityObserved", q=bad)
        assert response.status_code == 400, (bad, response.status_code)
        assert response.json()["type"] == "https://uri.etsi.org/ngsi-ld/errors/BadRequestData", response.text


@check
def geo_queries_select_by_place():
    centre = (48.8566, 2.3522)
    near = ours(georel="near;maxDistance==1500", geometry="Point", coordinates=json.dumps([centre[1], centre[0]]))
    assert near == sorted(urn(n) for n, s in STATIONS.items() if distance(centre[0], centre[1], s["lat"], s["lon"]) <= 1500), near
    far = ours(georel="near;minDistance==1500", geometry="Point", coordinates=json.dumps([centre[1], centre[0]]))
    assert sorted(near + far) == sorted(urn(n) for n in STATIONS)
    box = [[2.33, 48.84], [2.36, 48.84], [2.36, 48.865], [2.33, 48.865], [2.33, 48.84]]
    within = ours(georel="within", geometry="Polygon", coordinates=json.dumps([box]))
    assert within == sorted(urn(n) for n, s in STATIONS.items() if 2.33 < s["lon"] < 2.36 and 48.84 < s["lat"] < 48.865), within
    point = ours(georel="intersects", geometry="Point", coordinates=json.dumps([2.2950, 48.8738]))
    assert point == [urn("ngsi-c")], point
    lyon = get("entities", georel="near;maxDistance==500", geometry="Point", coordinates="[4.80,45.74]", count="true")
    assert all(":sim-json-" in entity_id for entity_id in ids(lyon)) and ids(lyon), ids(lyon)
    bad = get("entities", georel="within", geometry="Point", coordinates="[2.35,48.85]")
    assert bad.status_code == 400, bad.text


@check
def attrs_and_key_values_shape_the_answer():
    compact = get("entities", idPattern="ngsi-a$", attrs="no2", options="keyValues").json()
    assert compact == [{"id": urn("ngsi-a"), "type": "AirQualityObserved", "no2": 14}], compact
    keyed = get(f"entities/{urn('ngsi-d')}", options="keyValues").json()
    assert keyed["refDevice"] == "urn:ngsi-ld:Device:ngsi-d" and keyed["temperature"] == 6.0, keyed
    system = get(f"entities/{urn('ngsi-d')}", options="sysAttrs").json()
    assert system["createdAt"] <= system["modifiedAt"] and "createdAt" in system["no2"], system


@check
def json_ld_contexts_are_negotiated():
    ld = get("entities", accept="application/ld+json", idPattern="ngsi-a$")
    assert ld.headers["Content-Type"] == "application/ld+json" and ld.json()[0]["@context"] == CORE, ld.text
    assert "Link" not in ld.headers
    smart = session.get(f"{BASE}/entities/{urn('ngsi-a')}", headers={"Accept": "application/ld+json", "Link": LINK.format(SDM)})
    assert smart.json()["@context"] == [SDM, CORE], smart.json()
    expanded = get("entities", type="https://smartdatamodels.org/dataModel.Environment/AirQualityObserved", idPattern=OURS)
    assert ids(expanded) == sorted(urn(n) for n in STATIONS)
    in_json = session.get(f"{BASE}/entities/{urn('ngsi-a')}", headers={"Link": LINK.format(SDM)})
    assert SDM in in_json.headers["Link"] and "@context" not in in_json.json()


@check
def types_and_attributes_are_listed():
    assert "AirQualityObserved" in client.types.list()
    info = get("types/AirQualityObserved").json()
    assert info["type"] == "EntityTypeInfo" and info["entityCount"] >= 15, info
    names = {detail["attributeName"]: detail["attributeTypes"] for detail in info["attributeDetails"]}
    assert names["no2"] == ["Property"] and names["refDevice"] == ["Relationship"] and names["location"] == ["GeoProperty"], names
    attributes = get("attributes").json()
    assert attributes["type"] == "AttributeList" and "temperature" in attributes["attributeList"], attributes
    no2 = get("attributes/no2").json()
    assert no2["typeNames"] == ["AirQualityObserved"] and no2["attributeCount"] >= 15, no2
    assert get("types/Nothing").status_code == 404
    expanded = get("types/" + quote("https://smartdatamodels.org/dataModel.Environment/AirQualityObserved", safe="")).json()
    assert expanded["typeName"] == "AirQualityObserved" and expanded["entityCount"] == info["entityCount"], expanded


@check
def the_temporal_api_gives_the_history():
    troe = client.temporal.get(urn("ngsi-e"), attrs=["no2"])
    values = troe["no2"]["values"]
    assert [value for value, _ in values] == STATIONS["ngsi-e"]["no2"], troe
    assert [time[:19] for _, time in values] == [t[:19] for t in TIMES], troe
    normalized = get(f"temporal/entities/{urn('ngsi-e')}", attrs="temperature").json()
    assert [instance["value"] for instance in normalized["temperature"]] == STATIONS["ngsi-e"]["temperature"], normalized
    last = get(f"temporal/entities/{urn('ngsi-e')}", lastN=2, options="temporalValues").json()
    assert [value for value, _ in last["no2"]["values"]] == STATIONS["ngsi-e"]["no2"][-2:], last
    window = get("temporal/entities", idPattern="ngsi-[ab]$", timerel="between", timeAt=TIMES[1], endTimeAt=TIMES[2],
                 options="temporalValues", attrs="no2", count="true")
    assert window.headers["NGSILD-Results-Count"] == "2", window.headers
    assert {e["id"]: [v for v, _ in e["no2"]["values"]] for e in window.json()} == {
        urn("ngsi-a"): [STATIONS["ngsi-a"]["no2"][1]], urn("ngsi-b"): [STATIONS["ngsi-b"]["no2"][1]]}, window.json()
    before = get(f"temporal/entities/{urn('ngsi-c')}", timerel="before", timeAt=TIMES[1], options="temporalValues").json()
    assert [v for v, _ in before["no2"]["values"]] == STATIONS["ngsi-c"]["no2"][:1], before
    assert get("temporal/entities/urn:ngsi-ld:AirQualityObserved:nobody").status_code == 404


@check
def writes_and_other_operations_are_not_supported():
    try:
        client.create(Entity("AirQualityObserved", "ngsi-new"))
        raise AssertionError("a write was accepted")
    except NgsiOperationNotSupportedError as error:
        assert error.problemdetails.status == 501
    for method, path in [("PATCH", f"entities/{urn('ngsi-a')}/attrs"), ("DELETE", f"entities/{urn('ngsi-a')}"),
                         ("GET", "subscriptions"), ("POST", "entityOperations/query"), ("POST", "subscriptions")]:
        response = session.request(method, f"{BASE}/{path}", data="{}")
        assert response.status_code == 501, (method, path, response.status_code)
        assert response.json()["type"] == "https://uri.etsi.org/ngsi-ld/errors/OperationNotSupported", response.text
    missing = get("entities")
    assert missing.status_code == 400 and missing.json()["type"].endswith("/BadRequestData"), missing.text
    try:
        client.entities._query(q="no2>")
        raise AssertionError("a broken q was accepted")
    except NgsiBadRequestDataError as error:
        assert error.problemdetails.status == 400
    assert get("entities", type="AirQualityObserved", limit=0).status_code == 400  # limit=0 needs count=true
    assert requests.get(f"{BASE}/entities", params={"type": "AirQualityObserved"}).status_code == 401


feed()
failed = 0
for check_function in CHECKS:
    try:
        check_function()
        print(f"ok    {check_function.__name__}")
    except Exception:  # report every failing check, not only the first
        failed += 1
        print(f"FAIL  {check_function.__name__}")
        traceback.print_exc()
print(f"ngsild: {len(CHECKS) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
