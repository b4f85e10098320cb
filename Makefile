# thematic: the two set-up commands of README.md, and their parts.
#   make app    install, build the sample project, open the app
#   make test   install, run the whole test suite (make check: the fast selection)
PY      ?= python3
VENV    ?= .venv
BIN      = $(VENV)/bin
STAMP    = $(VENV)/.installed
SAMPLE  ?= sample.thematic
PORT    ?= 8501

.PHONY: install browser sample app app-smoke test check bench clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	# torch's CPU wheel first (constraints.txt pins it), or pip pulls a CUDA build
	$(BIN)/pip install -q -c constraints.txt torch==2.13.0
	$(BIN)/pip install -q -c constraints.txt -e ".[ml,dev]"
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the browser tests (Playwright drives it; never `playwright install`)
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# The sample study as a project: transcripts, participants, codebook, suggestions
$(SAMPLE): $(STAMP)
	rm -f $(SAMPLE).part
	$(BIN)/thematic init $(SAMPLE).part --name "Listening Circles (sample)"
	$(BIN)/thematic ingest transcripts_sample --participants transcripts_sample/participants.csv -p $(SAMPLE).part
	$(BIN)/thematic codebook import codebooks/peer_listening.yaml -p $(SAMPLE).part
	$(BIN)/thematic code -p $(SAMPLE).part
	# the sample's hand coding by two people (transcripts_sample/gold/), for agreement and themes
	$(BIN)/thematic import-codings transcripts_sample/gold/gold_codings.csv --coder coder1 -p $(SAMPLE).part
	$(BIN)/thematic import-codings transcripts_sample/gold/gold_codings_coder2.csv --coder coder2 -p $(SAMPLE).part
	mv $(SAMPLE).part $(SAMPLE)

sample: $(SAMPLE)

app: $(SAMPLE)
	THEMATIC_PROJECT=$(SAMPLE) $(BIN)/streamlit run app.py --server.port $(PORT) --browser.gatherUsageStats false

# CI: the app starts on the sample project and answers
app-smoke: $(SAMPLE)
	THEMATIC_PROJECT=$(SAMPLE) $(BIN)/python tests/smoke_app.py --port 8599

# everything (CI): unit, CLI, AppTest, the slow model tests, headless Chromium, PostgreSQL when
# THEMATIC_TEST_POSTGRES_URL is set; prints the 20 slowest tests
test: $(STAMP) browser
	$(BIN)/python -m pytest -q --durations=20

# the fast selection for working: no model loading, no browser, no server database
check: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow and not browser and not postgres" --durations=10

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_ingest.py --n 100

clean:
	rm -rf $(VENV) $(SAMPLE) $(SAMPLE).part
