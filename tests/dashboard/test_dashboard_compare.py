"""The Compare page: the chosen models' boards side by side, each number with its evidence; the same rows
as `tracker compare` (queries.compare_models)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tracker.store import connect_readonly, queries


def test_compare_page_shows_the_boards_where_models_meet(app: AppTest, demo_db: Path) -> None:
    con = connect_readonly(demo_db)
    try:
        counts = queries.board_models(con)
        models = [m for m in counts if m in ("Swin Transformer", "ConvNeXts")]
        expected = queries.compare_models(con, models)
    finally:
        con.close()
    assert len(models) == 2 and not expected.empty
    app.switch_page("views/compare.py").run()
    assert not app.exception and [i.value for i in app.info]  # asks for models
    app.multiselect(key="compare_models").set_value(models).run()
    assert not app.exception and [e.value for e in app.error] == []
    wide, detail = (d.value for d in app.dataframe)
    assert list(wide.columns) == ["dataset", "metric", *models]
    for r in expected.itertuples():
        row = wide[(wide["dataset"] == r.dataset) & (wide["metric"] == r.metric)]
        assert row[r.model].iloc[0].startswith(f"{r.value:g}") and f"(#{r.rank} of {r.board_size})" in row[r.model].iloc[0]
    assert list(detail["claim_id"]) == list(expected["claim_id"])
    assert all(q for q in detail["quote"])  # every number with its evidence
