"""The slow, obvious computation the caseload and the program outcomes are checked against
(issue #24: "every flag and every cohort figure equals the slow, obvious computation on the same
data").

The fast code reads stored summaries (each episode's `EpisodeMeasureSummary` and `EpisodeDose`),
database aggregates (the diary's averages, the questionnaires' counts) and correlated subqueries
(the program's start, the latest plan, the latest goal rating). The oracle reads none of them
(`oracle_caseload.py`, `oracle_outcomes.py`, and `oracle_rows.py` for what both read). It walks
the raw rows one child or one episode at a time, in Python:

- episodes, their transitions and discharge (program start, end, days in the program, relapse);
- completed administrations, each **scored again from its answers** by the clinical core
  (`backto.clinical.scoring.score` with the instrument version it was answered on): the FDI
  baseline and latest, the catastrophizing bands, the outcome scores at each time point and the
  healthcare-use counts never come from a stored total or summary;
- the questionnaires due and overdue, counted one administration at a time (the "at the next
  visit" rule asked per administration, `FamilyWording.at_visit`, not its SQL condition);
- diary entries (last day, the child's activity per fortnight, averaged here);
- therapy sessions (days and minutes summed here), goals and ratings (the latest clinician rating
  by the discharge, picked here), sensory exams and their findings (the allodynia territory made
  here from the findings, not the exam's stored percent), medicine lists;
- safety alerts and messages, with the visibility rules written out per alert and conversation
  (a conversation waits when a family message is neither done nor withdrawn: not the stored
  `waiting_since`).

What is shared with the fast code, on purpose (the point is to bypass the stored values and the
clever queries, not to write CLINICAL.md's arithmetic twice): the clinical core's pure rules
(scoring, bands, reliable change and `assess_change`, GAS, the caseload's flag rules in
`backto.clinical.caseload`, the allodynia area at one age), the program's day arithmetic
(`days_in_program`, `program_end_day`), who is in the viewer's circle (`patients_for`), the flag
registry's order, the 6-minute walk's percent of predicted as stored in the test's result, and
`summarize`'s presentation rounding (whole percents, one decimal), which the summary here repeats
in its own loops.

Two entry points, each returning a list of mismatches (empty when equal), naming ids and fields,
never a name: `caseload_mismatches` and `outcomes_mismatches`. Each takes `using`, the database
alias to read raw rows from (the fast caseload itself always reads the main database; the fast
outcomes read the same `using`). Speed: a dozen plain queries per child or episode and every
completed questionnaire scored again, about 10 ms a child or 15 ms an episode on SQLite: minutes
for a clinic of 5,000 children, so the caseload check takes a `limit` (whole pages spread over
the list).
"""

from bench.oracle_caseload import caseload_mismatches
from bench.oracle_outcomes import outcomes_mismatches

__all__ = ["caseload_mismatches", "outcomes_mismatches"]
