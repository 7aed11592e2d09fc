"""The softmax model's own engine: it names softmax objects, so it lives here, not in meaning/ or decide/.

:mod:`~symsoft.models.softmax.model` derives the model (``SoftmaxRegression``);
:mod:`~symsoft.models.softmax.proofs` and :mod:`~symsoft.models.softmax.proofs_every_c` prove its
properties for one C and for every C; :mod:`~symsoft.models.softmax.numeric` turns it into NumPy
functions. Reading a derivation under the softmax profile (:mod:`~symsoft.models.softmax.profile`,
``profiles/softmax.yaml``): :mod:`~symsoft.models.softmax.definitions` and
:mod:`~symsoft.models.softmax.bind` give placeholders their meaning,
:mod:`~symsoft.models.softmax.semantics` values a bound side for given C,
:mod:`~symsoft.models.softmax.all_classes` for every C, and :mod:`~symsoft.models.softmax.claims`
decides a claim.
"""
