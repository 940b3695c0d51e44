"""Word (.docx) copy: every piece of text Word keeps in a paragraph is read, or named in a warning."""

import zipfile
from pathlib import Path

import pytest

from pagesetter.errors import PagesetterError
from pagesetter.source.article import load_article

docx = pytest.importorskip("docx")
from docx.oxml import parse_xml  # noqa: E402

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def paragraph_with(d, inner: str) -> None:
    p = d.add_paragraph()
    for child in parse_xml(f"<w:wrap {W}>{inner}</w:wrap>"):
        p._p.append(child)


def texts(path: Path) -> list[str]:
    return [b.text for b in load_article(path).blocks]


def test_text_in_insertions_smart_tags_controls_and_fields_is_read_and_deletions_are_not(tmp_path):
    d = docx.Document()
    paragraph_with(d, '<w:r><w:t>甲</w:t></w:r><w:ins w:id="1" w:author="编辑"><w:r><w:t>插入乙</w:t></w:r></w:ins>'
                      '<w:del w:id="2" w:author="编辑"><w:r><w:delText>删去</w:delText></w:r></w:del><w:r><w:t>丙。</w:t></w:r>')
    paragraph_with(d, '<w:smartTag w:uri="urn:x" w:element="place"><w:r><w:t>长沙市</w:t></w:r></w:smartTag>'
                      '<w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>控件文字</w:t></w:r></w:sdtContent></w:sdt>'
                      '<w:fldSimple w:instr=" DATE "><w:r><w:t>2026年11月30日</w:t></w:r></w:fldSimple>')
    d.element.body.insert(len(d.element.body) - 1, parse_xml(
        f'<w:sdt {W}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>整段在控件里。</w:t></w:r></w:p></w:sdtContent></w:sdt>'))
    d.save(tmp_path / "t.docx")
    assert texts(tmp_path / "t.docx") == ["甲插入乙丙。", "长沙市控件文字2026年11月30日", "整段在控件里。"]


def test_a_line_break_keeps_a_space_between_latin_words_only(tmp_path):
    d = docx.Document()
    paragraph_with(d, '<w:r><w:t>中文</w:t><w:br/><w:t>接着，</w:t></w:r><w:r><w:t>word</w:t><w:br/>'
                      '<w:t>next</w:t></w:r>')
    d.save(tmp_path / "b.docx")
    assert texts(tmp_path / "b.docx") == ["中文接着，word next"]


def test_footnotes_pictures_and_symbols_are_named_in_warnings_and_text_boxes_are_set(tmp_path):
    d = docx.Document()
    p = d.add_paragraph("正文带脚注")
    p._p.append(parse_xml(f'<w:r {W}><w:footnoteReference w:id="1"/></w:r>'))
    paragraph_with(d, '<w:r><w:t>文本框前</w:t></w:r><w:r><w:pict xmlns:v="urn:schemas-microsoft-com:vml"><v:shape>'
                      '<v:textbox><w:txbxContent><w:p><w:r><w:t>框里的字。</w:t></w:r></w:p></w:txbxContent>'
                      '</v:textbox></v:shape></w:pict></w:r>')
    paragraph_with(d, '<w:r><w:t>符号</w:t></w:r><w:r><w:sym w:font="Wingdings" w:char="F0E0"/></w:r>')
    d.save(tmp_path / "n.docx")
    # a footnotes part, which python-docx does not write
    with zipfile.ZipFile(tmp_path / "n.docx") as zin, zipfile.ZipFile(tmp_path / "f.docx", "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdFn" Type="http://schemas.openxml'
                                    b'formats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                                    b"</Relationships>")
            zout.writestr(item, data)
        zout.writestr("word/footnotes.xml", f'<w:footnotes {W}><w:footnote w:id="1"><w:p><w:r><w:t>注释的话。</w:t>'
                                            "</w:r></w:p></w:footnote></w:footnotes>")
    a = load_article(tmp_path / "f.docx")
    assert [b.text for b in a.blocks] == ["正文带脚注", "文本框前", "框里的字。", "符号"]
    assert any("footnote is not set: '注释的话。'" in w for w in a.warnings), a.warnings
    assert any("text box's text is set as a paragraph after it" in w for w in a.warnings), a.warnings
    assert any("Wingdings symbol is not set" in w for w in a.warnings), a.warnings


def test_list_paragraphs_keep_their_bullets_and_numbers(tmp_path):
    d = docx.Document()
    for text, style in (("甲", "List Bullet"), ("乙", "List Bullet"), ("一", "List Number"), ("二", "List Number")):
        d.add_paragraph(text, style=style)
    d.add_paragraph("正文。")
    d.save(tmp_path / "l.docx")
    a = load_article(tmp_path / "l.docx")
    assert [(b.text, b.role) for b in a.blocks] == [("●甲", "item"), ("●乙", "item"), ("1．一", "item"),
                                                    ("2．二", "item"), ("正文。", "body")]


def test_a_sentence_starting_with_the_reporter_is_body_text_not_the_byline(tmp_path):
    d = docx.Document()
    d.add_paragraph("第一段。")
    d.add_paragraph("本报记者日前从市教育局获悉，全市中小学推迟开学。")
    d.add_paragraph("（记者 张三，通讯员 李四）")
    d.save(tmp_path / "y.docx")
    a = load_article(tmp_path / "y.docx")
    assert texts(tmp_path / "y.docx") == ["第一段。", "本报记者日前从市教育局获悉，全市中小学推迟开学。"]
    assert a.byline == "（记者 张三，通讯员 李四）"


def test_an_empty_word_file_warns_and_damaged_xml_is_one_line_naming_the_file(tmp_path):
    docx.Document().save(tmp_path / "empty.docx")
    assert any("has no text" in w for w in load_article(tmp_path / "empty.docx").warnings)
    with zipfile.ZipFile(tmp_path / "empty.docx") as zin, zipfile.ZipFile(tmp_path / "bad.docx", "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, data[:-40] if item.filename == "word/document.xml" else data)
    with pytest.raises(PagesetterError) as caught:
        load_article(tmp_path / "bad.docx")
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'bad.docx'}: not a readable Word (.docx) file") and "\n" not in message


def test_ruby_annotations_are_not_set_and_text_boxes_keep_their_paragraphs_even_in_an_empty_anchor(tmp_path):
    d = docx.Document()
    paragraph_with(d, '<w:r><w:t>我爱</w:t></w:r><w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>běi</w:t></w:r></w:rt>'
                      '<w:rubyBase><w:r><w:t>北</w:t></w:r></w:rubyBase></w:ruby></w:r><w:r><w:t>京。</w:t></w:r>')
    paragraph_with(d, '<w:r><w:pict xmlns:v="urn:schemas-microsoft-com:vml"><v:shape><v:textbox><w:txbxContent>'
                      '<w:p><w:r><w:t>Hello</w:t></w:r></w:p><w:p><w:r><w:t>World</w:t><w:br/><w:t>again</w:t>'
                      '</w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>')
    d.save(tmp_path / "r.docx")
    assert texts(tmp_path / "r.docx") == ["我爱北京。", "Hello", "World again"]


def test_list_markers_follow_the_lists_number_format_text_and_start(tmp_path):
    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(f'<w:abstractNum {W} w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
                                  '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'))
    numbering.insert(1, parse_xml(f'<w:abstractNum {W} w:abstractNumId="91"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
                                  '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1">'
                                  '<w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>'
                                  '</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {W} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    numbering.append(parse_xml(f'<w:num {W} w:numId="91"><w:abstractNumId w:val="91"/><w:lvlOverride w:ilvl="0">'
                               '<w:startOverride w:val="5"/></w:lvlOverride></w:num>'))
    for text, num, level in (("第一条", 90, 0), ("第二条", 90, 0), ("五", 91, 0), ("甲", 91, 1), ("乙", 91, 1),
                             ("六", 91, 0), ("丙", 91, 1)):
        paragraph_with(d, f'<w:r><w:t>{text}</w:t></w:r>')
        d.paragraphs[-1]._p.insert(0, parse_xml(f'<w:pPr {W}><w:numPr><w:ilvl w:val="{level}"/>'
                                                f'<w:numId w:val="{num}"/></w:numPr></w:pPr>'))
    d.save(tmp_path / "n.docx")
    assert texts(tmp_path / "n.docx") == ["一、第一条", "二、第二条", "5．五", "a)甲", "b)乙", "6．六", "a)丙"]
