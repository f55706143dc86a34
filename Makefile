# sozialraum: Einrichtung, Demo und Tests.
#   make demo   richtet .venv ein und rechnet die mitgelieferten Daten
#   make test   richtet .venv ein (falls nötig) und startet alle Tests
#   make readme schreibt die Befehlsreferenz im README aus --help neu

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test readme bench maps clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	@echo "== Privathaushalte 31.12.2016 (echte Daten der Stadt Jena) =="
	$(BIN)/sozialraum aggregate data/raw/privathaushalte_2006-2016.csv --year 2016 --scheme all --format table
	@echo "== Beispieldaten 2021 (illustrativ, keine amtlichen Zahlen) =="
	$(BIN)/sozialraum aggregate data/raw/beispiel_2021.csv --scheme all --format table
	@echo "== Sozialraumprofile der 5 Sozialräume (Beispieldaten 2021) =="
	$(BIN)/sozialraum profile data/raw/beispiel_2021.csv --scheme sozialraeume --all --output profile --force
	@echo "Profile: $(CURDIR)/profile/index.html"

# the two maps shown in the README, drawn from the bundled data
maps: $(STAMP)
	$(BIN)/sozialraum map --scheme sozialraeume --width 1000 --height 800 --output docs/karte_sozialraeume.png --force
	$(BIN)/sozialraum map --scheme planungsraeume --width 1000 --height 800 --output docs/karte_planungsraeume.png --force
	$(BIN)/sozialraum map --scheme planungsraeume data/raw/beispiel_2021.csv --rate sgb2_quote --width 1000 --height 800 \
		--source "Beispieldaten (illustrativ, keine amtlichen Zahlen)" --output docs/karte_sgb2_quote.png --force
	$(BIN)/sozialraum map --scheme sozialraeume data/raw/privathaushalte_2006-2016.csv --value privathaushalte --year 2016 \
		--width 1000 --height 800 --source "Stadt Jena, Open-Data-Portal" --output docs/karte_haushalte.png --force
	$(BIN)/sozialraum profile data/raw/beispiel_2021.csv --scheme sozialraeume --area Lobeda --stand 31.12.2021 \
		--source "Beispieldaten (illustrativ, keine amtlichen Zahlen)" --output build/profil --force --quiet
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=900,1500 \
		--screenshot=$(CURDIR)/docs/profil_lobeda.png file://$(CURDIR)/build/profil/profil-lobeda.html

test: $(STAMP)
	$(BIN)/python -m pytest -q -n auto

# the README's command reference, rendered from --help (tests/test_readme.py checks it)
readme: $(STAMP)
	$(BIN)/python scripts/cli_reference.py

bench: $(STAMP)
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/scale.py

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
