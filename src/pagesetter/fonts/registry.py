"""Font families and roles: ``fonts/fonts.yaml``, user font directories, layout entries.

Layouts name fonts as ``FAMILY`` or ``FAMILY WEIGHT`` (``黑体 bold``) or by a
role (``body``, ``headline`` …) whose family ``fonts.yaml`` sets.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


from pagesetter.errors import PagesetterError
from pagesetter.fonts.metrics import FaceRef
from pagesetter.source.yamlsource import Node, load_yaml_file

WEIGHTS = ("regular", "bold")
# A weight that draws the regular face with a stroked outline: bold for faces that have none (楷体, 仿宋).
SYNTHETIC_BOLD = ("synthetic-bold", "加粗")
STROKE = "stroke"  # the face feature the PDF writer draws as fill + stroke
# Roles a font list may leave out: inline faces of the text (fonts/fonts.yaml names them too).
DEFAULT_ROLES = {"strong": "黑体", "emphasis": "楷体", "quote": "楷体"}
FONT_SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")


def default_font_dir() -> Path:
    """``PAGESETTER_FONT_DIR``, else the fonts installed with the package (``pagesetter/_fonts``
    in a wheel), else the source tree's top-level ``fonts/`` (a checkout or an editable install)."""
    env = os.environ.get("PAGESETTER_FONT_DIR")
    if env:
        return Path(env)
    package = Path(__file__).resolve().parents[1]
    installed = package / "_fonts"
    if (installed / "fonts.yaml").is_file():
        return installed
    return package.parents[1] / "fonts"


@dataclass
class FontRegistry:
    """The font families, aliases and roles a layout may name, and the faces left out."""

    families: dict[str, dict[str, FaceRef]] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # font files or faces left out, with the reason
    system_added: bool = False

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
        """Read a ``families``/``roles``/``dirs``/``system`` mapping (fonts.yaml, or a layout's ``fonts:``).
        With a project ``root`` (a layout's fonts), every file and folder named must lie inside it."""
        from pagesetter.source.paths import inside
        node.mapping({"families", "roles", "dirs", "system"})
        if node.has("system") and node.require("system").boolean():
            self.add_system()
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
        """Register every TrueType or CFF face found in ``directory`` under its family names.
        A font file that cannot be read is an error: the user named this folder. Only regular
        files are read (a FIFO named *.ttf would block); with a project ``root``, a file that
        resolves outside it is refused."""
        for path in sorted(directory.iterdir()):
            if path.suffix.lower() not in FONT_SUFFIXES or not path.is_file():
                continue  # not a font, or a folder, pipe or device with a font's name
            if root is not None and not path.resolve().is_relative_to(root):
                raise PagesetterError(f"font file {path.name} lies outside the project root {str(root)!r}",
                                      file=str(path))
            self.add_file(path, strict=True)

    def add_system(self) -> None:
        """The fonts installed on this machine: fontconfig's list, else the standard font folders.
        Files that cannot be used are skipped and reported (``skipped``)."""
        if self.system_added:
            return
        self.system_added = True
        global _SYSTEM
        if _SYSTEM is None:  # scanned once per process (watch and editions load layouts often)
            scan = FontRegistry()
            for path in system_font_files():
                scan.add_file(path, strict=False)
            _SYSTEM = scan
        for name, faces in _SYSTEM.families.items():
            fam = self.families.setdefault(name, {})
            for weight, ref in faces.items():
                fam.setdefault(weight, ref)
        self.skipped.extend(_SYSTEM.skipped)

    def add_file(self, path: Path, strict: bool = False) -> None:
        from fontTools.ttLib import TTCollection, TTFont, TTLibError  # not imported by renders of known fonts
        try:
            if path.suffix.lower() in (".ttc", ".otc"):
                fonts = TTCollection(str(path), lazy=True).fonts
            else:
                fonts = [TTFont(str(path), lazy=True)]
        except (TTLibError, OSError, AssertionError, ValueError, KeyError) as exc:
            if strict:
                raise PagesetterError(f"cannot read font: {exc}", file=str(path)) from None
            self.skipped.append(f"{path}: cannot read font: {exc}")
            return
        for index, font in enumerate(fonts):
            where = f"{path}" + (f" (face {index})" if len(fonts) > 1 else "")
            try:
                if "glyf" not in font and "CFF " not in font:
                    reason = ("variable CFF2 outlines are not supported; use a static instance"
                              if "CFF2" in font else "no TrueType or CFF outlines (a bitmap or colour font)")
                    self.skipped.append(f"{where}: {reason}")
                    continue
                if "cmap" not in font:
                    self.skipped.append(f"{where}: no character map")
                    continue
                names = {r.toUnicode() for r in font["name"].names if r.nameID in (1, 16)}
                weight_class = font["OS/2"].usWeightClass if "OS/2" in font else 400
            except Exception as exc:  # a damaged table fontTools only notices when read
                if strict:
                    raise PagesetterError(f"cannot read font: {type(exc).__name__}: {exc}", file=str(path)) from None
                self.skipped.append(f"{where}: cannot read font: {type(exc).__name__}: {exc}")
                continue
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
        elif text in DEFAULT_ROLES:
            text = DEFAULT_ROLES[text]
        name, weight = text, "regular"
        for w in WEIGHTS + SYNTHETIC_BOLD:
            if text.lower().endswith(" " + w):
                name, weight = text[: -len(w) - 1].strip(), w
        family = self.families.get(self.aliases.get(name, name))
        if family is None:
            import difflib
            names = sorted(set(self.families) | set(self.aliases) | set(self.roles))
            hint = difflib.get_close_matches(name, names, n=1, cutoff=0.4)
            known = ", ".join(sorted(self.families))
            msg = f"unknown font family {name!r}" + (f"; did you mean {hint[0]!r}?" if hint else f"; known: {known}")
            if self.skipped:
                msg += f" ({len(self.skipped)} font file(s) skipped, e.g. {self.skipped[0]})"
            raise where.error(msg) if where else PagesetterError(msg)
        if weight in SYNTHETIC_BOLD:
            face = family.get("regular") or family["bold"]
            return FaceRef(face.path, face.index, face.features + (STROKE,))
        face = family.get(weight)
        if face is None:
            msg = f"font family {name!r} has no {weight} face"
            if weight == "bold":
                msg += f"; {name + ' synthetic-bold'!r} (or {name + ' 加粗'!r}) strokes the regular face"
            raise where.error(msg) if where else PagesetterError(msg)
        return face


_SYSTEM: FontRegistry | None = None
# In a list of font directories (``--font-dir``), this entry stands for the system fonts (``--system-fonts``).
SYSTEM_FONTS = ":system:"
# Where fonts are installed when fontconfig is not there to say.
SYSTEM_DIRS = ["/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",
               "/Library/Fonts", "/System/Library/Fonts", "~/Library/Fonts", "C:/Windows/Fonts"]


def system_font_files() -> list[Path]:
    """Font files fontconfig knows (``fc-list``), else those under the standard folders."""
    import shutil
    import subprocess

    if shutil.which("fc-list"):
        try:
            out = subprocess.run(["fc-list", "--format", "%{file}\\n"], capture_output=True, text=True,
                                 timeout=30, check=True).stdout
            files = sorted({Path(line) for line in out.splitlines() if line.strip()})
            return [f for f in files if f.suffix.lower() in FONT_SUFFIXES]
        except (OSError, subprocess.SubprocessError):
            pass
    files: set[Path] = set()
    for folder in SYSTEM_DIRS:
        root = Path(folder).expanduser()
        if root.is_dir():
            files.update(p for p in root.rglob("*") if p.suffix.lower() in FONT_SUFFIXES and p.is_file())
    return sorted(files)
