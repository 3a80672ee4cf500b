"""The metrics page: a year of releases (of one kind, or all), the figures the team reviews,
and a chart of each month's releases on time and late (SVG drawn on the server, with the same
figures in a table for those who cannot see it)."""

from dataclasses import dataclass
from datetime import date

from django.shortcuts import render
from django.views.decorators.http import require_GET

from releases import selectors
from releases.forms import MetricsFilterForm
from releases.models import Train

CHART_HEIGHT = 160  # the bars' area, in SVG units
BAR_WIDTH = 40
BAR_GAP = 12


@dataclass(frozen=True)
class Bar:
    month: date
    released: int
    on_time: int
    late: int
    x: int
    on_time_y: int
    on_time_height: int
    late_y: int
    late_height: int


def _bars(metrics, year: int) -> tuple[list[Bar], int]:
    counts = {month.month: month for month in metrics.per_month}
    top = max((month.released for month in metrics.per_month), default=0) or 1
    bars = []
    for n in range(12):
        month = date(year, n + 1, 1)
        count = counts.get(month)
        released, on_time = (count.released, count.on_time) if count else (0, 0)
        on_time_height = round(CHART_HEIGHT * on_time / top)
        late_height = round(CHART_HEIGHT * (released - on_time) / top)
        bars.append(
            Bar(
                month=month,
                released=released,
                on_time=on_time,
                late=released - on_time,
                x=n * (BAR_WIDTH + BAR_GAP),
                on_time_y=CHART_HEIGHT - on_time_height,
                on_time_height=on_time_height,
                late_y=CHART_HEIGHT - on_time_height - late_height,
                late_height=late_height,
            )
        )
    return bars, top


@require_GET
def metrics_page(request):
    form = MetricsFilterForm(request.GET)
    year, kind = form.period()
    metrics = selectors.release_metrics(start=date(year, 1, 1), end=date(year, 12, 31), kind=kind)
    bars, top = _bars(metrics, year)
    context = {
        "form": form,
        "year": year,
        "kind": kind,
        "kind_label": dict(Train.Kind.choices).get(kind),
        "metrics": metrics,
        "bars": bars,
        "top": top,
        "chart": {
            "width": 12 * (BAR_WIDTH + BAR_GAP),
            "height": CHART_HEIGHT,
            "bar": BAR_WIDTH,
            "label_y": CHART_HEIGHT + 16,
        },
        "previous_year": year - 1,
        "next_year": year + 1,
    }
    return render(request, "releases/metrics.html", context, status=400 if form.errors else 200)
