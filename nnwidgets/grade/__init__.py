"""nnwidgets.grade: summative grading outside the student's process (``python -m nnwidgets.grade --help``).

The in-notebook ``nnwidgets.checks`` give practice feedback; this package grades: the student's cells run in a
limited child process that only answers calls with plain data, while the cases, the references and the verdict
stay in the grader (``runner.grade``). See ``lessons/homework/README.md``. No imports here: the sandboxed child
imports this package too, before its limits are set.
"""
