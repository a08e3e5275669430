"""The softmax calculator's two tabs are two problems with their own classes: opening the other tab and coming back
leaves the labels, the target and the loss as they were (a review found lesson 02's Iris loss 0.354 turned into
1.338 after a visit to the logits tab: the target had been clamped to the logits' two classes and kept)."""
import pytest

import nnwidgets as nw

IRIS = dict(x=[6.3, 2.7, 4.9, 1.8], target=2, labels=["setosa", "versicolor", "virginica"])


def test_a_visit_to_the_other_tab_changes_nothing_on_return():
    s = nw.SoftmaxCalculator(**IRIS)
    before, loss = s.to_dict(), float(s.loss)
    s.view.tab_widget.selected_index = 0  # a click on the logits tab
    assert s.tab == "logits" and s.labels == [] and s.target == 0 and len(s.probabilities) == 2
    s.target = 1
    s.view.tab_widget.selected_index = 1  # and back
    assert s.labels == IRIS["labels"] and s.target == 2 and float(s.loss) == pytest.approx(loss, abs=0)
    assert {k: v for k, v in s.to_dict().items() if k != "other_tab"} == \
           {k: v for k, v in before.items() if k != "other_tab"}
    s.tab = "logits"
    assert s.target == 1, "the logits tab kept its own target too"


def test_the_waiting_tab_is_saved_and_restored():
    s = nw.SoftmaxCalculator(**IRIS)
    s.tab = "logits"
    t = nw.SoftmaxCalculator.from_dict(s.to_dict())
    assert t.to_dict() == s.to_dict()
    t.tab = "linear layer"
    assert t.labels == IRIS["labels"] and t.target == 2


@pytest.mark.parametrize("bad", [[1, 2], {"labels": ["a"]}, {"labels": "ab", "target": 0},
                                 {"labels": [], "target": -1}, {"labels": [], "target": True}])
def test_a_bad_saved_tab_is_refused_and_changes_nothing(bad):
    s = nw.SoftmaxCalculator(**IRIS)
    before = s.to_dict()
    with pytest.raises(ValueError, match="other_tab|labels|target"):
        s.other_tab = bad
    assert s.to_dict() == before
