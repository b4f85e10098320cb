"""The shared spaCy pipeline: built once however it is asked for, without importing PyTorch."""

import subprocess
import sys

from thematic.nlp import load_nlp


def _printed(script: str) -> list[str]:
    """What ``script`` prints, run in a fresh Python process (which must succeed)."""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_the_pipeline_is_built_once_however_it_is_asked_for():
    assert load_nlp() is load_nlp("en") is load_nlp(lang="en", prefer_trained=True)


def test_reading_words_leaves_pytorch_unloaded_and_importable():
    script = (
        "import sys\n"
        "from thematic.suggest.lexical import tokenize\n"
        "assert tokenize(['The waiting lists were months long']) == [['wait', 'list', 'month', 'long']]\n"
        "print('torch' in sys.modules)\n"
        "import torch\n"
        "print(float(torch.ones(2).sum()))\n"
    )
    assert _printed(script) == ["False", "2.0"]


def test_spacy_imported_after_pytorch_is_spacy_as_usual():
    script = (
        "import torch\n"
        "from thematic.nlp import import_spacy\n"
        "import thinc.compat\n"
        "spacy = import_spacy()\n"
        "print(thinc.compat.has_torch, spacy.blank('en')('two words').__len__())\n"
    )
    assert _printed(script) == ["True", "2"]


def test_with_a_transformer_package_installed_spacy_imports_pytorch_as_usual(tmp_path):
    (tmp_path / "spacy_transformers").mkdir()
    (tmp_path / "spacy_transformers" / "__init__.py").write_text("", encoding="utf-8")
    script = (
        "import sys\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "from thematic.nlp import import_spacy\n"
        "import_spacy()\n"
        "import thinc.compat\n"
        "print(thinc.compat.has_torch, 'torch' in sys.modules)\n"
    )
    assert _printed(script) == ["True", "True"]
