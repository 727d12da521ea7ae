"""The points-per-year chart of the dashboard, as geometry for an inline SVG: one bar per year
of the period, a line for the even pace, one for the pace still needed and, where the register
asks a minimum every year, one for that minimum with the finished years below it marked."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ..evaluation import PointsEvaluation, years_after

WIDTH, HEIGHT = 360, 180
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 12, 26
BAR_SHARE = 0.6
HEADROOM = Decimal("1.15")
# Gridlines at zero, halfway and near the top of the scale.
TICK_SHARES = (Decimal(0), Decimal("0.45"), Decimal("0.85"))


@dataclass(frozen=True)
class ChartBar:
    label: str
    first_day: date
    last_day: date
    points: Decimal
    x: str
    y: str
    width: str
    height: str
    label_x: str
    state: str  # "past", "current" or "future"
    # A finished year with fewer points than the register's yearly minimum.
    below_minimum: bool = False


@dataclass(frozen=True)
class ChartLine:
    value: Decimal
    x1: str
    x2: str
    y: str


@dataclass(frozen=True)
class ChartTick:
    value: Decimal
    y: str


@dataclass(frozen=True)
class PaceChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    baseline: str
    bars: tuple[ChartBar, ...]
    ticks: tuple[ChartTick, ...]
    even_pace: ChartLine
    needed_pace: ChartLine | None
    yearly_minimum: ChartLine | None = None

    @property
    def has_year_below_minimum(self) -> bool:
        return any(bar.below_minimum for bar in self.bars)

    @property
    def even_pace_shown(self) -> bool:
        """The even pace is left out where it is the yearly minimum itself."""
        return self.yearly_minimum is None or self.yearly_minimum.value != self.even_pace.value


def _coordinate(value: float) -> str:
    return f"{value:.1f}"


def pace_chart(evaluation: PointsEvaluation) -> PaceChart | None:
    """The chart of a point register with known rules; None without rules or years."""
    years = len(evaluation.points_by_year)
    if evaluation.required is None or not years:
        return None
    even = (evaluation.required / years).quantize(Decimal("0.1"))
    needed = evaluation.pace_needed_per_year if not evaluation.met else None
    per_year = evaluation.points_per_year
    highest = [*evaluation.points_by_year, even, needed or Decimal(0), per_year or Decimal(0)]
    top = max([*highest, Decimal(1)]) * HEADROOM
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / years
    baseline = TOP + plot_height

    def y_of(value: Decimal) -> float:
        return baseline - float(value / top) * plot_height

    bars = []
    current_index = years
    for n, points in enumerate(evaluation.points_by_year):
        first = years_after(evaluation.period_start, n)
        last = min(
            years_after(evaluation.period_start, n + 1) - timedelta(days=1),
            evaluation.period_end,
        )
        if first <= evaluation.on <= last:
            state, current_index = "current", n
        else:
            state = "past" if last < evaluation.on else "future"
        x = LEFT + n * slot + slot * (1 - BAR_SHARE) / 2
        bar_top = y_of(points)
        bars.append(
            ChartBar(
                label=str(first.year),
                first_day=first,
                last_day=last,
                points=points,
                x=_coordinate(x),
                y=_coordinate(bar_top),
                width=_coordinate(slot * BAR_SHARE),
                height=_coordinate(baseline - bar_top),
                label_x=_coordinate(LEFT + (n + 0.5) * slot),
                state=state,
                below_minimum=n + 1 in evaluation.years_below_yearly_minimum,
            )
        )
    needed_line = None
    if needed:
        needed_line = ChartLine(
            needed,
            _coordinate(LEFT + min(current_index, years - 1) * slot),
            _coordinate(LEFT + plot_width),
            _coordinate(y_of(needed)),
        )
    tick_values = sorted({(top * share).quantize(Decimal("1")) for share in TICK_SHARES})
    ticks = tuple(ChartTick(value, _coordinate(y_of(value))) for value in tick_values)
    return PaceChart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        baseline=_coordinate(baseline),
        bars=tuple(bars),
        ticks=ticks,
        even_pace=ChartLine(
            even, _coordinate(LEFT), _coordinate(LEFT + plot_width), _coordinate(y_of(even))
        ),
        needed_pace=needed_line,
        yearly_minimum=ChartLine(
            per_year, _coordinate(LEFT), _coordinate(LEFT + plot_width), _coordinate(y_of(per_year))
        )
        if per_year
        else None,
    )
