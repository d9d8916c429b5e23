"""Open data as portals and GIS tools read it, against a running, fed hub (run by
scripts/test-operations): the DCAT-AP catalog parsed as RDF by rdflib, the CSV export read by
pandas from its download URL, the GeoJSON export and pages checked by the `geojson` package.

The hub publishes two routes: air-quality (open) and invoices (restricted); `datasets` is an open
endpoint, so anonymous harvesters see the first only, and the operations token both.
"""
import io
import json
import os
import sys

import geojson
import httpx
import pandas
import rdflib
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS

URL = os.environ["HUB_URL"]
TOKEN = os.environ["HUB_TOKEN"]
HEADERS = {"Authorization": f"Bearer {TOKEN}"}
LICENCE = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
CSV_COLUMNS = ["id", "type", "entity", "observedAt", "receivedAt", "route", "latitude", "longitude", "attributes"]


def catalog(client, headers=None):
    answer = client.get(f"{URL}/api/v1/datasets", headers=headers or {})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/ld+json"), answer.headers
    graph = rdflib.Graph().parse(data=answer.text, format="json-ld")
    return graph, sorted(graph.subjects(RDF.type, DCAT.Dataset))


def check_geojson(text, where):
    collection = geojson.loads(text)
    assert collection.is_valid, f"{where}: {collection.errors()}"
    for feature in collection["features"]:
        assert feature["geometry"] is None or feature["geometry"]["type"] == "Point", feature
        for name, value in feature["properties"].items():
            assert not isinstance(value, (dict, list)), f"{where}: property {name} is not flat: {value!r}"
    return collection


def main():
    with httpx.Client(timeout=httpx.Timeout(60.0)) as client:
        graph, datasets = catalog(client)
        assert [str(d) for d in datasets] == [f"{URL}/api/v1/datasets/air-quality"], datasets
        dataset = datasets[0]
        assert graph.value(dataset, DCTERMS.license) == rdflib.URIRef(LICENCE), graph.value(dataset, DCTERMS.license)
        rights = graph.value(dataset, DCTERMS.rights)
        assert str(graph.value(rights, RDFS.label)) == "Ville de Lyon, capteurs air", rights
        assert graph.value(dataset, DCTERMS.modified) is not None
        downloads = {str(graph.value(d, DCAT.mediaType)).split("/media-types/")[-1]: str(graph.value(d, DCAT.downloadURL))
                     for d in graph.objects(dataset, DCAT.distribution)}
        assert set(downloads) == {"text/csv", "application/geo+json"}, downloads
        for distribution in graph.objects(dataset, DCAT.distribution):
            assert graph.value(distribution, DCTERMS.license) == rdflib.URIRef(LICENCE)

        _, with_token = catalog(client, HEADERS)
        assert [str(d).rsplit("/", 1)[-1] for d in with_token] == ["air-quality", "invoices"], with_token

        # Every event stored so far, paged through the API with the token...
        seen, cursor = set(), None
        while True:
            page = client.get(f"{URL}/api/v1/events", headers=HEADERS,
                              params={"route": "air-quality", "limit": 1000, **({"cursor": cursor} if cursor else {})}).json()
            seen |= {item["id"] for item in page["items"]}
            cursor = page["nextCursor"]
            if cursor is None:
                break
        # ...is in the export pandas reads from the catalog's download URL, each once.
        frame = pandas.read_csv(downloads["text/csv"])
        assert list(frame.columns) == CSV_COLUMNS, list(frame.columns)
        assert frame["id"].is_unique, "an event twice in the export"
        assert seen <= set(frame["id"]), f"{len(seen - set(frame['id']))} stored events missing from the export"
        assert (frame["route"] == "air-quality").all()
        attributes = json.loads(frame["attributes"].iloc[0])
        assert "no2" in attributes, attributes

        export = client.get(downloads["application/geo+json"])
        assert export.status_code == 200 and "attachment" in export.headers["content-disposition"], export.headers
        located = check_geojson(export.text, "entities.geojson export")
        assert located["features"] and all(f["properties"]["route"] == "air-quality" for f in located["features"])
        assert all("no2" in f["properties"] and f["properties"].get("no2_unit") == "GQ" for f in located["features"])

        page = client.get(f"{URL}/api/v1/entities.geojson", headers=HEADERS)
        everything = check_geojson(page.text, "/api/v1/entities.geojson")
        unlocated = [f["id"] for f in everything["features"] if f["geometry"] is None]
        assert "urn:ngsi-ld:AirQualityObserved:inv-1" in unlocated, unlocated

        csv_page = client.get(f"{URL}/api/v1/events.csv", headers=HEADERS, params={"limit": 3})
        assert csv_page.headers["content-disposition"] == 'attachment; filename="events.csv"', csv_page.headers
        assert len(pandas.read_csv(io.StringIO(csv_page.text))) == 3
        assert 'rel="next"' in csv_page.headers["link"], csv_page.headers

        hidden = client.get(f"{URL}/api/v1/datasets/invoices/events.csv")
        assert hidden.status_code == 404, hidden.text
    print(f"open data: catalog parsed by rdflib, {len(frame)} events read by pandas, "
          f"{len(located['features'])} features valid GeoJSON, unlocated entities with null geometry")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as error:
        print(f"open data test failed: {error}", file=sys.stderr)
        sys.exit(1)
