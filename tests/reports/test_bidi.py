from reports.bidi import text_direction


def test_arabic_script_and_thaana_run_right_to_left():
    assert text_direction("مطالب آموزشی با همکاران") == "rtl"  # Persian
    assert text_direction("ތަމްރީނުގެ މާއްދާތައް") == "rtl"  # Dhivehi
    assert text_direction("2020: تربیتی مواد") == "rtl"  # digits are weak: the first letter decides


def test_other_scripts_and_bare_figures_run_left_to_right():
    assert text_direction("การแบ่งปันเอกสาร") == "ltr"
    assert text_direction("Shared the materials; مطالب") == "ltr"
    assert text_direction("2020 – 21") == "ltr"
