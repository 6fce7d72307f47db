"""Survey results as a viewer sees them: a share that gives away 1–4 respondents is hidden, with its complement."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from lagesbild import queries
from lagesbild.disclosure import protect_shares
from lagesbild.reads.base import ReadsBase
from lagesbild.surveys import NTU_SURVEY, NTU_TABLES, with_interval

ONE_QUESTION = ("survey", "place_id", "question_code", "wave")  # answers whose shares add up to 100 %


@dataclass(frozen=True)
class SurveyAnswers:
    own: pd.DataFrame  # the project's and the police's own surveys, protected
    published: pd.DataFrame  # BRÅ's NTU tables: published statistics, with BRÅ's own codes, as published
    any: bool  # whether the filter matched any survey row at all


class SurveyReads(ReadsBase):
    def survey_answers(self, *, place_ids: Sequence[str] = (), period_from: date | None = None,
                       period_to: date | None = None) -> SurveyAnswers:
        """Every answer's share per survey, wave and question (waves whose period ends in the filter)."""
        answers = queries.survey_answers(self.engine, place_ids=place_ids, period_from=period_from,
                                         period_to=period_to)
        own = protect_shares(answers[answers["survey"] != NTU_SURVEY], within=ONE_QUESTION, rule=self.rule)
        return SurveyAnswers(own, answers[answers["question_code"].isin(list(NTU_TABLES))], not answers.empty)

    def survey_answer_share(self, answers: Sequence[str], *, categories: Sequence[str], place_ids: Sequence[str] = (),
                            period_from: date | None = None, period_to: date | None = None,
                            counts: bool = True) -> pd.DataFrame:
        """The share giving any of `answers` per survey and wave (BRÅ's NTU left out), with its 95 % interval,
        protected when it rests on answers of anyone (`counts`: the indicator's declaration)."""
        frame = queries.survey_answer_share(self.engine, answers, categories=categories, place_ids=place_ids,
                                            period_from=period_from, period_to=period_to,
                                            exclude_surveys=[NTU_SURVEY])
        return protect_shares(with_interval(frame), rule=self._rule_for(counts))
