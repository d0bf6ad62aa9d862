"""What a load run's figures mean: a page against the reference, the median round,
and what stands in for a measurement that got no answers (a busy machine can
leave a short run with none; the report then says so instead of crashing)."""


def median_round(runs):
    """(req/s, p50, p99) of the round with the median req/s among the rounds that
    got answers; Nones when none did."""
    answered = sorted((run for run in runs if run[0] is not None), key=lambda r: r[0])
    if not answered:
        return None, None, None
    return answered[len(answered) // 2][:3]


def ratio(row):
    """A page's req/s over the reference's in the same rounds; None when either
    got no answers."""
    if row["rps"] is None or not row["reference_rps"]:
        return None
    return row["rps"] / row["reference_rps"]


def figure(value, spec, missing="no samples"):
    """`value` formatted, or what stands in for a measurement that got no answers."""
    return missing if value is None else format(value, spec)
