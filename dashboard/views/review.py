"""Review: pick a claim, read its quote in the abstract, accept, reject or correct it (with a note);
add a claim the extractor missed; see the latest reviews and the reviews whose claim is gone.

Writing from a read-only dashboard (see README "Reviews"): a submit appends the review to the journal
`<db>.reviews.jsonl` first (durable), then `common.save_reviews` closes this process's read-only
connection, applies the journal in a short write transaction and the page reruns, reopening read-only.
If another process holds the database, the review waits in the journal and the next writable open
applies it.
"""

from __future__ import annotations

import os
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.common import apply_pending, db_path, for_display, md_escape, query, save_reviews
from dashboard.highlight import Span, highlight_html
from tracker.models import UNITS
from tracker.reviews import CORRECTABLE, Review, ReviewError, journal_path, make_added_review, make_review, scan_journal
from tracker.store import StoreError
from tracker.store.queries import NO_REVIEWS_HINT, REVIEW_STATUSES
from tracker.store.store import pending_review_count

QUEUE_LIMIT = 500
LOCKED_MSG = (
    "Review saved; it will be applied when the database is free (another process, e.g. a `tracker load`, "
    "is writing to it). It is safe in the journal `{journal}`."
)
CHOICES: dict[str, list[str]] = {
    "unit": ["", *sorted(UNITS)],
    "kind": ["absolute", "delta", "ratio"],
    "direction": ["", "up", "down"],
    "qualifier": ["", "more_than", "up_to", "about", "at_least", "less_than", "only"],
}
QUEUE_COLUMNS = ("status", "title", "model", "value", "unit", "metric", "dataset", "task", "kind", "quote", "origin", "note")
REVIEW_COLUMNS = ("created_at", "action", "state", "title", "model", "value", "metric", "quote", "changes", "note", "reviewer")


def _text(v: Any) -> str:
    return "" if v is None or (isinstance(v, float) and v != v) else str(v)


def claim_label(row: Any) -> str:
    unit = _text(row.unit)
    model = _text(row.model) or "(no model)"
    return f"[{row.status}] {model} · {row.value:g}{unit} {row.metric} · {_text(row.dataset) or 'no dataset'} — {row.title}"


def flash() -> None:
    """The outcome of the previous submit (the page reran since)."""
    msg = st.session_state.pop("rv_flash", None)
    if msg:
        st.success(msg)
    for note in st.session_state.pop("rv_journal_notes", []):
        st.warning(md_escape(note))


def journal_notice(path: str) -> None:
    """A damaged journal (lines that cannot be used) is said on every visit, with the command that repairs it."""
    try:
        warning = scan_journal(journal_path(path)).warning()
    except ReviewError as e:
        warning = str(e)
    if warning:
        st.error(f"**The review journal is damaged.** {md_escape(warning)}")


def pending_notice(path: str) -> None:
    """Reviews saved while the database was busy: say so, and offer to apply them now."""
    journal_notice(path)
    n = pending_review_count(path, query(path, "review_ids"))
    if not n:
        return
    st.warning(f"{n} review(s) are saved in the journal but not applied yet (the database was busy).")
    if st.button("Apply them now", key="rv_apply_pending"):
        finish(path, apply_pending(path), "Pending reviews applied.")


def pick_claim(path: str) -> str | None:
    """Filters like the explorer's, then one claim; `?claim=ID` opens a claim directly."""
    options = query(path, "claim_filter_options")
    c1, c2, c3 = st.columns(3)
    statuses = c1.multiselect("Status", REVIEW_STATUSES, key="rv_status")
    metrics = c2.multiselect("Metric", options.get("metric", []), key="rv_metric")
    datasets = c3.multiselect("Dataset", options.get("dataset", []), key="rv_dataset")
    text = st.text_input("Model, quote or title contains", key="rv_text", placeholder="e.g. ViT")
    queue = query(
        path, "review_queue", statuses=tuple(statuses), metrics=tuple(metrics), datasets=tuple(datasets),
        text=text.strip() or None, limit=QUEUE_LIMIT,
    )  # fmt: skip
    labels = {r.claim_id: claim_label(r) for r in queue.itertuples()}
    ids = list(labels)
    linked = st.query_params.get("claim") if "rv_claim" not in st.session_state else None
    if linked and linked not in labels:
        target = query(path, "review_target", linked)
        if target is not None:
            row = target["current"] or target["base"]
            ids.insert(0, linked)
            labels[linked] = f"[{target['status']}] {_text(row['model']) or '(no model)'} · {row['value']:g}" \
                f"{_text(row['unit'])} {row['metric']} — {target['title']}"
    with st.expander(f"{len(queue)} matching claims" + (f" (first {QUEUE_LIMIT})" if len(queue) >= QUEUE_LIMIT else "")):
        cols = [c for c in QUEUE_COLUMNS if c in queue.columns]
        st.dataframe(for_display(queue), hide_index=True, column_order=cols)
    if not ids:
        st.info("No claim matches these filters.")
        return None
    if linked in labels and "rv_claim" not in st.session_state:
        st.session_state["rv_claim"] = linked
    if st.session_state.get("rv_claim") not in labels:
        st.session_state["rv_claim"] = ids[0]
    claim_id = st.selectbox("Claim", ids, key="rv_claim", format_func=lambda i: labels.get(i, i))
    st.query_params["claim"] = claim_id
    return claim_id


def show_claim(target: dict[str, Any]) -> None:
    """The quote marked in its abstract, and the claim as it counts now next to the extracted one."""
    base, current = target["base"], target["current"]
    st.subheader(md_escape(target["title"] or base["paper_id"]))
    status = target["status"]
    origin = (current or {}).get("origin", "rejected")
    st.markdown(f"Status: **{status}** · origin: **{origin}** · claim `{base['claim_id']}`")
    label = f"{base['metric']} = {base['value']:g}{_text(base['unit'])}"
    st.markdown(
        highlight_html(target["abstract"] or "", [Span(int(base["start_offset"]), int(base["end_offset"]), label)]),
        unsafe_allow_html=True,
    )
    rows = [
        {"field": f, "now": _text((current or base).get(f)), "as stored": _text(base.get(f))}
        for f in CORRECTABLE
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True)


def finish(path: str, applied: bool, done: str) -> None:
    """After a write: rerun on success (the page reopens read-only); if the database was busy, say so
    and stop here, because no read-only connection can be opened while another process writes."""
    if applied:
        st.session_state["rv_flash"] = done
        st.rerun()
    st.warning(LOCKED_MSG.format(journal=journal_path(path)))
    st.stop()


def submit(path: str, review: Review, done: str) -> None:
    notes: list[str] = []
    try:
        applied = save_reviews(path, [review], notes)
    except ReviewError as e:  # the journal could not be written: nothing was saved
        st.error(f"**Not saved.** {e}")
        return
    except StoreError as e:  # in the journal, but the database could not be opened for writing
        st.error(f"**Saved in the journal, not applied yet:** {e}")
        return
    finally:
        if notes:  # a torn line cut from the journal (saved in a side file), or a newline added
            st.session_state["rv_journal_notes"] = notes
    finish(path, applied, done)


def decision_form(path: str, target: dict[str, Any], reviewer_default: str) -> None:
    """Accept / Reject with a note."""
    base = target["base"]
    with st.form("rv_decide"):
        note = st.text_input("Note", key=f"rv_note_{base['claim_id']}")
        reviewer = st.text_input("Reviewer", value=reviewer_default, key="rv_reviewer")
        c1, c2, _ = st.columns([1, 1, 4])
        accept = c1.form_submit_button("Accept", key="rv_accept", type="primary")
        reject = c2.form_submit_button("Reject", key="rv_reject")
    action = "accept" if accept else "reject" if reject else None
    if action:
        try:
            review = make_review(action, base, current=target["current"], title=target["title"] or "-",
                                 note=note, reviewer=reviewer)  # fmt: skip
        except ReviewError as e:
            st.error(f"**Not saved.** {e}")
            return
        submit(path, review, "Claim accepted." if action == "accept" else "Claim rejected.")


def _field_input(field: str, value: Any, key: str) -> Any:
    if field in CHOICES:
        opts = CHOICES[field]
        v = _text(value)
        if v not in opts:
            opts = [*opts, v]
        return st.selectbox(field, opts, index=opts.index(v), key=key)
    if field == "value":
        return st.text_input(field, value=f"{float(value):g}" if value is not None else "", key=key)
    return st.text_input(field, value=_text(value), key=key)


def correct_form(path: str, target: dict[str, Any], reviewer_default: str) -> None:
    """Every correctable field, prefilled with the claim as it counts now; changed ones are the correction."""
    base = target["base"]
    now = target["current"] or base
    cid = base["claim_id"]
    with st.form("rv_correct"):
        st.markdown("**Correct** (change the fields that are wrong; empty clears a field)")
        values: dict[str, Any] = {}
        cols = st.columns(4)
        for i, f in enumerate(CORRECTABLE):
            with cols[i % 4]:
                values[f] = _field_input(f, now.get(f), f"rv_fix_{f}_{cid}")
        note = st.text_input("Note", key=f"rv_fix_note_{cid}")
        reviewer = st.text_input("Reviewer", value=reviewer_default, key="rv_fix_reviewer")
        go = st.form_submit_button("Save correction", key="rv_correct_submit")
    if not go:
        return
    changes: dict[str, Any] = {}
    for f, v in values.items():
        v = v.strip() if isinstance(v, str) else v
        if f == "value":
            try:
                v = float(v)
            except (TypeError, ValueError):
                st.error(f"**Not saved.** value must be a number, got {v!r}")
                return
        elif v == "":
            v = None
        old = now.get(f)
        old = None if old is None or (isinstance(old, float) and old != old) else old
        if v != old:
            changes[f] = v
    if not changes:
        st.info("Nothing changed.")
        return
    try:
        review = make_review("correct", base, current=now, changes=changes, title=target["title"] or "-",
                             note=note, reviewer=reviewer)  # fmt: skip
    except ReviewError as e:
        st.error(f"**Not saved.** {e}")
        return
    submit(path, review, "Correction saved: " + ", ".join(f"{k} = {v}" for k, v in review.changes.items()))


def add_form(path: str, target: dict[str, Any], reviewer_default: str) -> None:
    """A claim the extractor missed in this paper; its quote must be copied from the abstract."""
    pid = target["base"]["paper_id"]
    with st.expander("Add a claim the extractor missed in this paper"):
        with st.form("rv_add"):
            quote = st.text_input("Quote (verbatim from the abstract)", key=f"rv_add_quote_{pid}")
            cols = st.columns(4)
            values: dict[str, Any] = {}
            for i, f in enumerate(CORRECTABLE):
                with cols[i % 4]:
                    default = {"kind": "absolute"}.get(f)
                    values[f] = _field_input(f, default, f"rv_add_{f}_{pid}") if f != "value" else st.text_input(
                        "value", key=f"rv_add_value_{pid}"
                    )
            note = st.text_input("Note", key=f"rv_add_note_{pid}")
            go = st.form_submit_button("Add claim", key="rv_add_submit")
        if not go:
            return
        fields = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in values.items()}
        try:
            fields["value"] = float(fields["value"]) if fields["value"] is not None else None
            paper = {"paper_id": pid, "title": target["title"], "abstract": target["abstract"]}
            review = make_added_review(paper, quote=quote, fields=fields, note=note, reviewer=reviewer_default)
        except (ValueError, ReviewError) as e:
            st.error(f"**Not saved.** {e}")
            return
        submit(path, review, "Claim added.")


def review_tables(path: str) -> None:
    """What was reviewed lately, and what lost its claim (never dropped: re-attach it by hand, or let it go)."""
    st.subheader("Recent reviews")
    recent = query(path, "recent_reviews", 50)
    if recent.empty:
        st.caption("No reviews yet.")
    else:
        st.dataframe(for_display(recent), hide_index=True, column_order=[c for c in REVIEW_COLUMNS if c in recent.columns])
    st.subheader("Orphaned reviews")
    orphans = query(path, "orphaned_reviews", limit=500)
    if orphans.empty:
        st.caption("None: every review attaches to a current claim.")
    else:
        st.warning(
            f"{len(orphans)} review(s) no longer find their claim (the abstract or the extraction changed). "
            "They are kept; review the paper's current claims again if needed."
        )
        st.dataframe(for_display(orphans), hide_index=True, column_order=[c for c in REVIEW_COLUMNS if c in orphans.columns])


def render() -> None:
    st.title("Review claims")
    path = db_path()
    if not query(path, "has_reviews"):
        st.warning(NO_REVIEWS_HINT.replace("FILE", path))
        return
    flash()
    pending_notice(path)
    reviewer_default = os.environ.get("CLAIMTRACK_REVIEWER", "")
    claim_id = pick_claim(path)
    if claim_id is not None:
        target = query(path, "review_target", claim_id)
        if target is None:
            st.warning("That claim is no longer in the database.")
        else:
            show_claim(target)
            decision_form(path, target, reviewer_default)
            correct_form(path, target, reviewer_default)
            add_form(path, target, reviewer_default)
    review_tables(path)


if __name__ == "__main__":
    render()
