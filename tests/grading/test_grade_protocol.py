"""The grader's side of the child protocol: plain data only on the wire, stand-ins that behave like the student's
functions and classes (signatures, in-place changes, state kept in the child), the parent's secret cases."""
import base64
import inspect

import numpy as np
import pytest

from nnwidgets import checks
from nnwidgets.grade import cases, proxy, wire
from nnwidgets.grade.sandbox import Limits
from nnwidgets.grade.session import Session

STUDENT = '''
import numpy as np

def sgd_momentum(w, dw, config=None):          # CS231n: updates config in place and returns it
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    v = config["momentum"] * v - config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config

def d2l_sgd(params, grads, lr):                 # d2l: changes the parameters in place, returns nothing
    for param, grad in zip(params, grads):
        param -= lr * grad

class Relu:                                     # the book's Relu: backward changes dout in place
    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout[self.mask] = 0
        return dout

weights = (0.5, -0.25, 3)
'''


@pytest.fixture(scope="module")
def session():
    s = Session(Limits(timeout=5, nproc=16), [("student", STUDENT)])
    yield s
    s.close()


@pytest.mark.parametrize("value", [None, True, 3, -2.5, "text", [1, (2.0, None)], {"lr": 0.1, "v": [1, 2]},
                                   float("inf")])
def test_plain_values_round_trip(value):
    assert wire.decode(wire.encode(value)) == value


def test_arrays_round_trip_as_plain_ndarrays():
    array = np.arange(6, dtype=np.float32).reshape(2, 3)
    back = wire.decode(wire.encode(array.view(np.matrix)))
    assert type(back) is np.ndarray and back.dtype == np.float32 and np.array_equal(back, array)


def test_objects_and_pickles_never_come_through():
    assert isinstance(wire.decode(wire.encode(object())), wire.Opaque)
    pickled = base64.b64encode(__import__("pickle").dumps(np.array([object()]))).decode()
    for bad in ({"npy": pickled}, {"pickle": "x"}, {"int": "1", "float": "2"}, {"float": "1e999999x"}, [1, 2]):
        with pytest.raises((wire.WireError, ValueError)):
            wire.decode(bad)


def test_cs231n_config_dicts_change_in_place_through_the_stand_in(session):
    fn = proxy.bind(session, "sgd_momentum")
    assert list(inspect.signature(fn).parameters) == ["w", "dw", "config"]
    config = {"learning_rate": 0.1}
    w, returned = fn(np.ones(2), np.ones(2), config)
    np.testing.assert_allclose(w, [0.9, 0.9])
    np.testing.assert_allclose(config["velocity"], [-0.1, -0.1])  # the caller's dict changed, as in the child
    assert returned["momentum"] == 0.9


def test_d2l_in_place_parameter_lists_change_through_the_stand_in(session):
    params = [np.ones(2), np.zeros(3)]
    assert proxy.bind(session, "d2l_sgd")(params, [np.ones(2), np.ones(3)], 0.5) is None
    np.testing.assert_allclose(params[0], [0.5, 0.5])
    np.testing.assert_allclose(params[1], [-0.5, -0.5, -0.5])


def test_classes_live_in_the_child_and_the_check_sees_in_place_changes(session):
    relu = proxy.bind(session, "Relu")
    assert inspect.isclass(relu) and hasattr(relu, "backward")
    layer = relu()
    np.testing.assert_allclose(layer.forward(np.array([-1.0, 2.0])), [0.0, 2.0])
    assert layer.mask.tolist() == [True, False]  # state kept in the child, read by name
    with pytest.raises(AttributeError):
        layer.missing  # noqa: B018
    dout = np.array([5.0, 7.0])
    layer.backward(dout)
    assert dout.tolist() == [0.0, 7.0]  # reported back, so check_layer can name the in-place change


def test_values_come_as_plain_data_and_missing_names_say_so(session):
    assert proxy.bind(session, "weights") == (0.5, -0.25, 3)
    with pytest.raises(proxy.Missing, match="does not define nothing_here"):
        proxy.bind(session, "nothing_here")


def test_student_exceptions_keep_their_name(session):
    with pytest.raises(proxy.StudentError) as raised:
        proxy.bind(session, "sgd_momentum")("not", "arrays")
    assert type(raised.value).__name__ == "UFuncTypeError"  # numpy's, as the student would see it


def test_the_check_accepts_cs231n_code_through_the_stand_in(session):
    if not hasattr(checks, "from_cs231n_optimizer"):
        pytest.skip("checks.from_cs231n_optimizer is not in this version of nnwidgets.checks")
    checks.check_optimizer("momentum", checks.from_cs231n_optimizer(proxy.bind(session, "sgd_momentum")))


def test_the_parents_secret_cases_pass_right_code_and_fail_a_lookup_table():
    def softmax(z):
        e = np.exp(z - z.max())
        return e / e.sum()

    cases.secret_softmax(softmax, np.random.default_rng(1))
    cases.secret_cross_entropy(lambda p, y: -np.sum(y * np.log(p)), np.random.default_rng(2))
    with pytest.raises(AssertionError, match="secret case 1 of 6"):
        cases.secret_softmax(lambda z: np.full_like(z, 1 / z.size), np.random.default_rng(3))
    with pytest.raises(AssertionError, match="secret case"):
        cases.secret_cross_entropy(lambda p, y: -np.sum(y * np.log10(p)), np.random.default_rng(4))
