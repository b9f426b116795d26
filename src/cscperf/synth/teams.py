"""Teams, posts ("slots") and the people who fill them over time, and case allocation.

Each team has a fixed set of posts. A post is held by a sequence of workers (employed or agency),
with vacancy gaps between them; some leavers move to a post in another team (team history). A case
is allocated to a case-holding post: when its holder leaves, the case is re-allocated to whoever
next fills a post in the team, which gives realistic changes of social worker."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from cscperf.synth import params as P
from cscperf.synth.draw import Draw

SERVICES = {  # service: (team base name, teams per 45,000 children, posts per team)
    "front_door": ("MASH", 1, 12),
    "assessment": ("Assessment", 2, 14),
    "family_support": ("Family Support", 2, 12),
    "child_protection": ("Child Protection", 2, 12),
    "children_in_care": ("Children in Care", 2, 14),
    "leaving_care": ("Leaving Care", 1, 12),
    "disabled_children": ("Children with Disabilities", 1, 10),
}
CASE_ROLES = ("social_worker", "senior_practitioner", "personal_adviser")
QUALIFIED_ROLES = ("social_worker", "senior_practitioner", "team_manager")


@dataclass
class Holder:
    post: "Post"
    start: int
    end: int | None
    agency: bool
    fte: float
    worker_id: str = ""
    moves_on: bool = False  # leaves the post for a post in another team
    moved_in: bool = False  # came from a post in another team


@dataclass
class Post:
    post_id: str
    team: "Team"
    role: str
    fte: float
    holders: list[Holder] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)

    def holder_at(self, day: int) -> Holder | None:
        i = bisect_right(self.starts, day) - 1
        if i < 0:
            return None
        h = self.holders[i]
        return h if h.end is None or h.end >= day else None

    def next_holder(self, day: int) -> Holder | None:
        i = bisect_right(self.starts, day)
        return self.holders[i] if i < len(self.holders) else None


@dataclass
class Team:
    team_id: str
    name: str
    service: str
    perf: float  # team effect on timeliness, in standard deviations (positive = better)
    posts: list[Post] = field(default_factory=list)

    _case_posts: list[Post] | None = None

    @property
    def case_posts(self) -> list[Post]:
        if self._case_posts is None:
            self._case_posts = [p for p in self.posts if p.role in CASE_ROLES]
        return self._case_posts


class Org:
    """The service's teams and their staffing history, from ``start`` to ``as_at``."""

    def __init__(self, draw: Draw, la_code: str, population: int, start: int, as_at: int) -> None:
        self.draw = draw
        self.as_at = as_at
        self.start = start
        self.teams: list[Team] = []
        self.by_service: dict[str, list[Team]] = {}
        scale = population / 45_000
        for service, (base, per, posts) in SERVICES.items():
            count = max(1, round(per * scale))
            for i in range(count):
                number = len(self.teams) + 1
                name = base if count == 1 else f"{base} {i + 1}"
                team = Team(f"T{la_code}{number:03d}", name, service, draw.normal())
                size = posts if scale >= 0.5 else max(3, round(posts * scale * 2.5))
                for j in range(size):
                    role = self._role(service, j, size)
                    fte = 1.0 if draw.chance(0.85) else 0.8 if draw.chance(0.6) else 0.6
                    team.posts.append(Post(f"{team.team_id}-P{j + 1:02d}", team, role, fte))
                self.teams.append(team)
                self.by_service.setdefault(service, []).append(team)
        for team in self.teams:
            for post in team.posts:
                self._staff(post)
        self._link_moves()
        self._name_workers(la_code)

    @staticmethod
    def _role(service: str, j: int, size: int) -> str:
        if j == 0:
            return "team_manager"
        if j in (1, 2):
            return "senior_practitioner"
        if service == "leaving_care" and j >= 4:
            return "personal_adviser"
        if service in ("family_support", "front_door") and j == size - 1:
            return "family_support_worker"
        return "social_worker"

    def agency_share(self, day: int) -> float:
        """A deliberate trend: agency use falls over the last years (a recruitment drive)."""
        years_before = (self.as_at - day) / 365.25
        return P.AGENCY_SHARE * (0.85 + 0.06 * min(max(years_before, 0), 5))

    def _staff(self, post: Post) -> None:
        d = self.draw
        t = self.start - int(d.u() * P.EMPLOYED_TENURE_YEARS * 365)
        while t <= self.as_at:
            agency = post.role in QUALIFIED_ROLES and d.chance(self.agency_share(t))
            tenure = d.exp((P.AGENCY_TENURE_YEARS if agency else P.EMPLOYED_TENURE_YEARS) * 365) + 30
            end = t + int(tenure)
            h = Holder(post, t, end if end <= self.as_at else None, agency, 1.0 if agency else post.fte)
            post.holders.append(h)
            post.starts.append(t)
            if h.end is None:
                break
            h.moves_on = not agency and d.chance(0.1)
            gap = d.exp(20 if d.chance(0.5) else P.VACANCY_GAP_DAYS)
            t = end + 1 + int(gap)

    def _link_moves(self) -> None:
        """A leaver flagged ``moves_on`` becomes the next employed starter in another team."""
        starts = sorted(
            (h.start, h.post.post_id, h) for t in self.teams for p in t.posts for h in p.holders if not h.agency
        )
        ends = sorted(
            (h.end, h.post.post_id, h) for t in self.teams for p in t.posts for h in p.holders if h.moves_on and h.end
        )
        taken: set[int] = set()
        si = 0
        for end, _, leaver in ends:
            while si < len(starts) and starts[si][0] <= end:
                si += 1
            for k in range(si, min(si + 40, len(starts))):
                day, _, starter = starts[k]
                if day > end + 60:
                    break
                if id(starter) in taken or starter.post.team is leaver.post.team or starter.moved_in:
                    continue
                taken.add(id(starter))
                starter.moved_in = True
                starter.worker_id = f"link:{id(leaver)}"
                break
            else:
                leaver.moves_on = False

    def _name_workers(self, la_code: str) -> None:
        holders = sorted(
            (h.start, h.post.post_id, h) for t in self.teams for p in t.posts for h in p.holders
        )
        by_link = {f"link:{id(h)}": h for _, _, h in holders if h.moves_on}
        serial = 0
        for _, _, h in holders:
            if h.moved_in:
                h.worker_id = by_link[h.worker_id].worker_id
            else:
                serial += 1
                h.worker_id = f"SW{int(la_code):03d}{serial:07d}"

    def holders(self):
        for team in self.teams:
            for post in team.posts:
                yield from post.holders

    def pick_team(self, service: str) -> Team:
        teams = self.by_service[service]
        return teams[int(self.draw.u() * len(teams))]

    def worker_at(self, team: Team, day: int) -> Holder | None:
        """A case-holding worker in post on ``day`` (the team manager if no post is filled)."""
        posts = team.case_posts
        for _ in range(4):
            h = posts[int(self.draw.u() * len(posts))].holder_at(day)
            if h is not None:
                return h
        return team.posts[0].holder_at(day)

    def allocate(self, rows: list, child_id: str, team: Team, start: int, end: int | None) -> list[tuple]:
        """Allocate a case from ``start`` to ``end`` (None = open), re-allocating when a worker leaves.
        Appends allocation rows; returns them (child, worker, team, start, end)."""
        out = []
        day = start
        limit = end if end is not None else self.as_at
        while day <= limit:
            h = self.worker_at(team, day)
            if h is None:
                day += 7
                continue
            stop = end if h.end is None or (end is not None and h.end >= end) else h.end
            row = (child_id, h.worker_id, team.team_id, day, stop)
            rows.append(row)
            out.append(row)
            if stop is None or stop == end:
                break
            day = stop + 1 + int(self.draw.u() * 8)
        return out
