"""DoeMee's own Rasa NLU components: rule-based extractors for what rules do better than learning.

Each extractor is a small GraphComponent registered with the default recipe, so
config.yml names it as `nlu.<module>.<Class>`. They are the only producers of
the postcode, place, interest and time entities; DIET and a linear SVM (linear_intents) classify intents only.
"""
