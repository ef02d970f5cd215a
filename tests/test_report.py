"""The run report's stance line tells a target the section never names from a neutral one."""

from newsflow.tasks.report import _stance_line


def test_stance_line_shows_mentions_and_says_when_a_target_is_absent():
    stances = [
        {"target": "North Korea", "label": "FAVOR", "score": 0.421, "mentions": 9},
        {"target": "China", "label": "NONE", "score": 0.75, "mentions": 1},
        {"target": "the West", "label": "NONE", "score": 1.0, "mentions": 0},
        {"target": "Russia", "label": "AGAINST", "score": 0.6, "mentions": None},  # written before mentions existed
    ]
    assert _stance_line(stances) == ("**North Korea** FAVOR (0.42, 9 mentions) · **China** NONE (0.75, 1 mention) · "
                                     "**the West** not mentioned · **Russia** AGAINST (0.60)")
