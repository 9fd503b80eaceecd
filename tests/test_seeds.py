import pytest

from tests.seeds import SEEDS, SHARED_SEEDS


def test_the_project_ships_the_five_source_protocols():
    assert len(sorted(SEEDS.glob("*.txt"))) == 5


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="no ../shared/seeds beside this checkout")
def test_the_shipped_copies_equal_the_shared_seeds():
    different = [
        path.name
        for path in sorted(SHARED_SEEDS.glob("*.txt"))
        if (SEEDS / path.name).read_bytes() != path.read_bytes()
    ]
    assert different == []
