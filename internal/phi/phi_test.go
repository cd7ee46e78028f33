package phi

import (
	"errors"
	"testing"
)

func TestGuard(t *testing.T) {
	g := New([]string{"whitening kit", "亮白"}, []string{"crown"})
	refused := []string{
		"Implant", "implant_completed", "IMPLANT", "Ｉｍｐｌａｎｔ", "Dental Implants", "orthodontic-consult",
		"IVF", "hiv test", "Botox 2024", "植牙", "人工植牙完成", "矯正諮詢", "玻尿酸", "試管療程", "男科",
		"种植牙", "不孕不育", "試管", "whitening kit", "亮白療程", "ＨＩＶ",
	}
	for _, s := range refused {
		if err := g.Check("conversion.event_name", s); err == nil {
			t.Errorf("%q passed the guard", s)
		}
	}
	passed := []string{"Purchase", "Lead", "Schedule", "archive", "Visit", "crown", "Crown Clinic", "Completed", "到診", "到诊"}
	for _, s := range passed {
		if err := g.Check("conversion.event_name", s); err != nil {
			t.Errorf("%q refused: %v", s, err)
		}
	}
}

func TestHitNamesKeyAndTerm(t *testing.T) {
	err := New(nil, nil).Check("conversion.event_name", "Implant_Completed")
	var hit *Hit
	if !errors.As(err, &hit) || hit.Key != "conversion.event_name" || hit.Term != "implant" {
		t.Fatalf("got %v", err)
	}
}

func TestAllowIsExact(t *testing.T) {
	g := New(nil, []string{"implant"})
	if g.Check("k", "Implant") != nil {
		t.Error("allow-listed term refused")
	}
	if g.Check("k", "implants") == nil {
		t.Error("allowing 'implant' must not allow 'implants'")
	}
}
