# DoeMee: `make run` starts everything, `make test` tests everything.
# Both create what is missing first: environments, spaCy model, trained model, database.

SHELL := /bin/bash
APP_ENV := .venv
RASA_ENV := .venv-rasa
APP_PY := $(APP_ENV)/bin/python
RASA_PY := $(RASA_ENV)/bin/python
SPACY_MODEL := build/spacy-nl
TRAINING_INPUTS := config.yml domain.yml $(shell find data nlu -type f \( -name '*.yml' -o -name '*.py' \) 2>/dev/null)

.PHONY: run run-cluster test bench envs app-env rasa-env spacy-model model geo db nlu-report clean

run: envs model geo db
	$(APP_PY) -m scripts.run_all

# The production topology on loopback: PostgreSQL, Redis, two Rasa instances, two action servers, the gateway.
run-cluster: envs model geo
	$(APP_PY) -m scripts.run_cluster

test: envs geo model
	scripts/test

bench: envs geo model
	$(APP_PY) -m bench

envs: app-env rasa-env
app-env: $(APP_ENV)/.installed
rasa-env: $(RASA_ENV)/.installed

$(APP_ENV)/.installed: requirements/app.lock
	rm -rf $(APP_ENV)
	"$$(scripts/find-python 3.11 3.12 3.13)" -m venv $(APP_ENV)
	$(APP_ENV)/bin/pip install --quiet --disable-pip-version-check -r requirements/app.lock
	touch $@

$(RASA_ENV)/.installed: requirements/rasa.lock
	rm -rf $(RASA_ENV)
	"$$(scripts/find-python 3.10)" -m venv $(RASA_ENV)
	$(RASA_ENV)/bin/pip install --quiet --disable-pip-version-check -r requirements/rasa.lock
	touch $@

spacy-model: $(SPACY_MODEL)/meta.json
$(SPACY_MODEL)/meta.json: $(RASA_ENV)/.installed scripts/build_spacy_model.py
	$(RASA_PY) scripts/build_spacy_model.py $(SPACY_MODEL)

# Retrains only when the training inputs changed since the newest model.
model: models/.trained
models/.trained: $(RASA_ENV)/.installed $(SPACY_MODEL)/meta.json $(TRAINING_INPUTS)
	bin/rasa train --fixed-model-name doemee --out models
	touch $@

geo: $(APP_ENV)/.installed
	bin/doemee geo-fetch

db: $(APP_ENV)/.installed
	bin/doemee setup

nlu-report: envs spacy-model
	scripts/nlu-report

clean:
	rm -rf $(APP_ENV) $(RASA_ENV) build models results var
