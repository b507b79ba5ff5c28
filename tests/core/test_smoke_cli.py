def test_declare_and_show_in_process(imf_cli):
    result = imf_cli("declare", "API errors", "--severity", "P2", "--json")
    assert result.exit_code == 0, result
    incident = result.json()["incident"]
    assert incident["id"] == "INC-1"
    shown = imf_cli("show", "INC-1", "--json")
    assert shown.json()["timeline"][0]["kind"] == "declared"


def test_declare_in_real_process(imf_run):
    result = imf_run("declare", "DB down", "-s", "P1")
    assert result.exit_code == 0, result
    assert "INC-1" in result.stdout
