//! Benchmarks of the procedure engine (figures in benches/results/procedure.md):
//! - applying actions with the journal append (target ≥ 200 000 actions/s on one core);
//! - JSON round trip of a state with 100 lots and 500 plis (target < 1 ms).
//!
//! Wall-clock times; `procedure_cpu` measures the same work in CPU time, which is what
//! counts on a loaded machine.

mod procedure_commun;

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use mpe::procedure::Procedure;
use procedure_commun::{banc, grand_etat, jouer, journee};

fn actions(c: &mut Criterion) {
    let b = banc(3);
    let suite = journee(&b);
    let mut g = c.benchmark_group("procedure");
    g.throughput(Throughput::Elements(suite.len() as u64));
    g.bench_function("appliquer_1000_actions_avec_journal", |bench| {
        bench.iter_batched(
            || b.etat.clone(),
            |mut etat| {
                let n = jouer(&b, &mut etat, &suite);
                black_box((etat, n))
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

fn json(c: &mut Criterion) {
    let etat = grand_etat();
    let texte = etat.to_json();
    eprintln!("état 100 lots / 500 plis : {} octets de JSON", texte.len());
    let mut g = c.benchmark_group("procedure");
    g.bench_function("json_aller_retour_100_lots_500_plis", |bench| {
        bench.iter(|| {
            let p = Procedure::from_json(black_box(&texte)).unwrap();
            black_box(p.to_json())
        })
    });
    g.bench_function("json_lecture_100_lots_500_plis", |bench| {
        bench.iter(|| black_box(Procedure::from_json(black_box(&texte)).unwrap()))
    });
    g.bench_function("json_ecriture_100_lots_500_plis", |bench| {
        bench.iter(|| black_box(etat.to_json()))
    });
    g.finish();
}

criterion_group!(benches, actions, json);
criterion_main!(benches);
