"""Checks docs/openapi.yaml before schemathesis uses it: openapi-spec-validator must accept it, and
no mapping may hold a key without a value, which is what an unquoted comma inside a flow mapping
(`{ description: A, B }`) silently makes of the text after the comma."""
import sys

import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename


def keys_without_value(node, path=()):
    """Paths of mapping keys whose value is null, which the document never means to write."""
    if isinstance(node, dict):
        for key, value in node.items():
            if value is None:
                yield path + (key,)
            yield from keys_without_value(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from keys_without_value(value, path + (index,))


def main(path):
    document, _ = read_from_filename(path)
    validate(document)
    with open(path, encoding="utf-8") as file:
        stray = list(keys_without_value(yaml.safe_load(file)))
    for found in stray:
        print(f"{path}: key without a value (an unquoted comma?) at {'/'.join(map(str, found))}", file=sys.stderr)
    if stray:
        sys.exit(1)
    print(f"{path}: valid OpenAPI, no stray keys")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/openapi.yaml")
