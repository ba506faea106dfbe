"""Every claim of the catalogue as one test item: passes when its verdict matches its pin."""


def test_claim(claim_id: str, check_claim) -> None:
    check_claim(claim_id)
