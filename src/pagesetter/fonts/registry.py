"""Font families and roles: ``fonts/fonts.yaml``, user font directories, layout entries.

Layouts name fonts as ``FAMILY`` or ``FAMILY WEIGHT`` (``黑体 bold``) or by a
role (``body``, ``headline`` …) whose family ``fonts.yaml`` sets.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont, TTLibError

from pagesetter.errors import PagesetterError
from pagesetter.fonts.metrics import FaceRef
from pagesetter.source.yamlsource import Node, load_yaml_file

WEIGHTS = ("regular", "bold")
FONT_SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")


def default_font_dir() -> Path:
    env = os.environ.get("PAGESETTER_FONT_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "fonts"


@dataclass
class FontRegistry:
    families: dict[str, dict[str, FaceRef]] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)

    @classmethod
    def default(cls) -> "FontRegistry":
        reg = cls()
        directory = default_font_dir()
        config = directory / "fonts.yaml"
        if not config.exists():
            raise PagesetterError("default font list not found (set PAGESETTER_FONT_DIR)", file=str(config))
        reg.load_config(Node(load_yaml_file(config), str(config)), directory)
        return reg

    def load_config(self, node: Node, base: Path, *, root: Path | None = None) -> None:
        """Read a ``families``/``roles``/``dirs`` mapping (fonts.yaml, or a layout's ``fonts:``).
        With a project ``root`` (a layout's fonts), every file and folder named must lie inside it."""
        from pagesetter.source.paths import inside
        node.mapping({"families", "roles", "dirs"})
        if node.has("dirs"):
            for d in node.require("dirs").sequence():
                if root is not None:
                    path = inside(root, d.string(), base, d, what="font directory", directory=True)
                else:
                    path = (base / d.string()).resolve()
                if not path.is_dir():
                    raise d.error(f"font directory {str(path)!r} not found")
                self.add_dir(path, root=root)
        if node.has("families"):
            for name, fam in node.require("families").mapping().items():
                fam.mapping({"aliases", "regular", "bold", "index"})
                faces = {}
                for weight in WEIGHTS:
                    entry = fam.get(weight)
                    if entry is None:
                        continue
                    if isinstance(entry.value, dict):
                        entry.mapping({"file", "index"})
                        file = entry.require("file").string()
                        index = entry.require("index").integer(0) if entry.has("index") else 0
                    else:
                        file, index = entry.string(), (fam.require("index").integer(0) if fam.has("index") else 0)
                    if root is not None:
                        path = inside(root, file, base, entry, what="font file")
                    else:
                        path = (base / file).resolve()
                    if not path.is_file():
                        raise entry.error(f"font file {str(path)!r} not found")
                    faces[weight] = FaceRef(path, index)
                if not faces:
                    raise fam.error("a family needs at least a regular or bold face")
                self.families[str(name)] = faces
                if fam.has("aliases"):
                    for alias in fam.require("aliases").sequence():
                        self.aliases[alias.string()] = str(name)
        if node.has("roles"):
            for role, spec in node.require("roles").mapping().items():
                self.roles[str(role)] = spec.string()

    def add_dir(self, directory: Path, *, root: Path | None = None) -> None:
        """Register every TrueType face found in ``directory`` under its family names.
        Only regular files are read (a FIFO named *.ttf would block); with a project
        ``root``, a file that resolves outside it is refused."""
        for path in sorted(directory.iterdir()):
            if path.suffix.lower() not in FONT_SUFFIXES:
                continue
            if not path.is_file():
                continue  # a folder, pipe or device with a font's name
            if root is not None and not path.resolve().is_relative_to(root):
                raise PagesetterError(f"font file {path.name} lies outside the project root {str(root)!r}",
                                      file=str(path))
            try:
                if path.suffix.lower() in (".ttc", ".otc"):
                    fonts = TTCollection(str(path), lazy=True).fonts
                else:
                    fonts = [TTFont(str(path), lazy=True)]
            except (TTLibError, OSError, AssertionError) as exc:
                raise PagesetterError(f"cannot read font: {exc}", file=str(path)) from None
            for index, font in enumerate(fonts):
                if "glyf" not in font:
                    continue  # CFF outlines: not embeddable here; skipped, named if asked for
                names = {r.toUnicode() for r in font["name"].names if r.nameID in (1, 16)}
                weight_class = font["OS/2"].usWeightClass if "OS/2" in font else 400
                weight = "bold" if weight_class >= 600 else "regular"
                ref = FaceRef(path, index)
                for name in names:
                    fam = self.families.setdefault(name, {})
                    if weight not in fam or weight_class in (400, 700):
                        fam[weight] = ref

    def resolve(self, spec: str, where: Node | None = None) -> FaceRef:
        """``"黑体 bold"``, ``"书宋"``, or a role name → the face to use."""
        text = spec.strip()
        if text in self.roles:
            text = self.roles[text]
        name, weight = text, "regular"
        for w in WEIGHTS:
            if text.lower().endswith(" " + w):
                name, weight = text[: -len(w) - 1].strip(), w
        family = self.families.get(self.aliases.get(name, name))
        if family is None:
            import difflib
            names = sorted(set(self.families) | set(self.aliases) | set(self.roles))
            hint = difflib.get_close_matches(name, names, n=1, cutoff=0.4)
            known = ", ".join(sorted(self.families))
            msg = f"unknown font family {name!r}" + (f"; did you mean {hint[0]!r}?" if hint else f"; known: {known}")
            raise where.error(msg) if where else PagesetterError(msg)
        face = family.get(weight)
        if face is None:
            msg = f"font family {name!r} has no {weight} face"
            raise where.error(msg) if where else PagesetterError(msg)
        return face
