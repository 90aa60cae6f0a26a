"""One loopback cluster for the whole package: it takes minutes to start (two Rasa instances load their model)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.cluster.harness import Cluster, running_cluster
from tests.support.stack import has_model


@pytest.fixture(scope="package")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    if not has_model():
        pytest.skip("no trained Rasa model in models/ (run `make model`)")
    with running_cluster(tmp_path_factory.mktemp("cluster")) as running:
        yield running
