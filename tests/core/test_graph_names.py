"""Node names after the variables a function assigns (``q = x + y`` gives node q), with op names as the fallback."""
import functools

import jax
import jax.numpy as jnp
import pytest

from nnwidgets.core.graph import trace_graph
from nnwidgets.core.graph_names import check_names


def names(fn, sigmoid="as written", **inputs):
    graph = trace_graph(fn, inputs, sigmoid)
    return [op.name for op in graph.ops], [op.op_name for op in graph.ops]


def lecture(x, y, z):
    q = x + y
    f = q * z
    return f


def test_the_lecture_example_names_q_and_f():
    assert names(lecture, x=-2.0, y=5.0, z=-4.0) == (["q", "f"], ["add", "mul"])


def test_lambdas_keep_the_op_names():
    assert names(lambda x, y, z: (x + y) * z, x=1.0, y=2.0, z=3.0) == (["add", "mul"], ["add", "mul"])


def reassigned(x, w):
    h = x * w
    h = h * w
    x = h + 1.0  # an input's name is taken: the node is x_2
    return x + 2.0  # no assignment: the op name


def test_reassigned_variables_and_input_names_stay_unique():
    shown, ops = names(reassigned, x=1.0, w=2.0)
    assert shown == ["h", "h_2", "x_2", "add_2"] and ops == ["mul", "mul_2", "add", "add_2"]


def helper(a):
    inner = jnp.exp(a)  # a helper's own variables do not name nodes of the function that calls it
    return inner + 1.0


def multi_line(a, b):
    def local(v):
        unused_name = v * 3.0
        return unused_name

    s = (a
         * b)
    t = helper(s)  # the helper's last op (add) is the value assigned to t
    return local(t)


def test_multi_line_statements_helpers_and_inner_functions():
    shown, ops = names(multi_line, a=1.0, b=2.0)
    assert ops == ["mul", "exp", "add", "mul_2"]
    assert shown == ["s", "exp", "t", "mul_2"]


def neuron(w, x):
    a = w * x
    f = 1 / (1 + jnp.exp(-a))
    return f


def neuron_nn(w, x):
    a = w * x
    f = jax.nn.sigmoid(a)
    return f


def test_sigmoid_modes_keep_the_assigned_name():
    assert names(neuron, w=2.0, x=-1.0)[0] == ["a", "neg", "exp", "add", "f"]
    assert names(neuron, "collapsed", w=2.0, x=-1.0)[0] == ["a", "f"]
    assert names(neuron_nn, w=2.0, x=-1.0)[0] == ["a", "f"]
    assert names(neuron_nn, "expanded", w=2.0, x=-1.0)[0] == ["a", "neg", "exp", "add", "f"]


def test_functions_without_readable_source_keep_op_names():
    namespace = {}
    exec(compile("def made(x):\n    q = x * 2.0\n    return q\n", "<typed>", "exec"), namespace)  # no source file
    assert names(namespace["made"], x=1.0)[0] == ["mul"]
    assert names(functools.partial(lecture, z=2.0), x=1.0, y=2.0)[0] == ["add", "mul"]


@pytest.mark.parametrize("given, pattern", [
    (["q"], "names must be a dict"),
    ({"sub": "q"}, "names: 'sub' is not a node of this graph; its nodes are add, mul"),
    ({"add": ""}, "names: the name for 'add' must be text of 1 to 24"),
    ({"add": " q"}, "without spaces at the ends"),
    ({"add": 3}, "must be text"),
    ({"add": "x"}, "'x' \\(for 'add'\\) is already the name of an input"),
    ({"add": "q", "mul": "q"}, "two nodes would both be called 'q'"),
])
def test_bad_names_are_refused_by_name(given, pattern):
    with pytest.raises(ValueError, match=pattern):
        check_names(given, ["add", "mul"], ["x", "y"])
    assert check_names({"add": "q", "mul": "f"}, ["add", "mul"], ["x", "y"]) == {"add": "q", "mul": "f"}
