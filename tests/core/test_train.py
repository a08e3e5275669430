"""core.train's held-out split and accuracies against independent NumPy computations."""
import numpy as np
import pytest

from nnwidgets.core.optim import adam, sgd
from nnwidgets.core.train import (
    accuracy,
    iris_split,
    predict_iris,
    predict_xor,
    train_race,
    train_race_models,
    xor_problem,
)
from nnwidgets.data import load_iris


def test_iris_split_holds_out_every_fifth_flower_of_each_species_standardised_on_train():
    (loss, params, x, t), x_test, y_test = iris_split()
    X, y = load_iris()
    test = np.arange(150) % 5 == 4
    assert x.shape == (120, 4) and x_test.shape == (30, 4) and t.shape == (120, 3)
    assert np.bincount(y_test).tolist() == [10, 10, 10] and np.bincount(t.argmax(1)).tolist() == [40, 40, 40]
    mean, std = X[~test].astype(float).mean(0), X[~test].astype(float).std(0)
    np.testing.assert_allclose(x, (X[~test] - mean) / std, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(x_test, (X[test] - mean) / std, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(y_test, y[test])


def numpy_sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_accuracies_match_numpy_forward_passes():
    problem, x_test, y_test = iris_split()
    trained = train_race_models(problem, (sgd(0.5), adam(0.05)), epochs=30, batch_size=10, progress=False)
    np.testing.assert_array_equal(trained.losses, train_race(problem, (sgd(0.5), adam(0.05)), 30, 10,
                                                             progress=False))
    _, _, x, t = problem
    for params in trained.params:
        W, b = np.asarray(params["W"], float), np.asarray(params["b"], float)
        train = np.mean(np.argmax(x @ W + b, axis=1) == t.argmax(1))
        test = np.mean(np.argmax(x_test @ W + b, axis=1) == y_test)
        assert accuracy(predict_iris, params, x, t.argmax(1)) == pytest.approx(train, abs=1e-12)
        assert accuracy(predict_iris, params, x_test, y_test) == pytest.approx(test, abs=1e-12)
        assert 0.85 < test <= 1.0
    loss, params0, x, t = xor_problem()
    trained = train_race_models((loss, params0, x, t), (sgd(2.0), sgd(0.01)), 2000, 4, progress=False)
    for params in trained.params:
        p = {k: np.asarray(v, float) for k, v in params.items()}
        y = numpy_sigmoid(numpy_sigmoid(x @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"])[:, 0]
        expected = np.mean((y > 0.5).astype(int) == t[:, 0])
        assert accuracy(predict_xor, params, x, t[:, 0].astype(int)) == expected
    assert accuracy(predict_xor, trained.params[0], x, t[:, 0].astype(int)) == 1.0  # lr 2 solves XOR
