//! From matching posts to ranked results: the date range and facet filters, facet counts, BM25F scores with the
//! recency and exact-title bonuses ([`crate::rank`] holds the formulas), and posts of one story folded together.
//!
//! It reads the ranking data chunks (`m/`): on a small index they come with the query's first files, on a large one
//! only the chunks of the candidates are fetched once matching has found them.

use super::{Fetch, Filters, Index, Ranked, Ranking, SortOrder};
use crate::facet::{self, Facets};
use crate::query::Query;
use crate::rank::{Collection, DocStats, EXACT_TITLE_BONUS};
use crate::store::unpack_norm;
use crate::Error;

/// An index with at most this many ranking data chunks (65,536 posts at 16,384 per chunk, about 48 KiB) has them
/// all fetched with a query's first files; a larger one fetches those of the candidates once they are known.
const EARLY_META_CHUNKS: usize = 4;

impl Index {
    /// The matching documents in result order (and facet counts), or the files still needed to know them.
    pub(super) fn rank(&self, query: &Query, filters: &Filters) -> Fetch<Ranked> {
        let needs_meta =
            filters.sort == SortOrder::Relevance || filters.has_date_range() || filters.collapse_duplicates;
        // No keyword but filters: browse everything the filters let through, less any exclusions (`-汽车`).
        let browse = !query.has_positive() && filters.is_active();
        if !query.has_positive() && !browse {
            return Ok(Ok(Ranked::default()));
        }
        let (docs, keyword_matches) = match self.match_query(query, browse)? {
            Ok(found) => found,
            Err(mut needed) => {
                needed.extend(self.early_meta(needs_meta, filters));
                return Ok(Err(needed));
            }
        };

        // Round 3: ranking data (for relevance or a date range) and facet data of the candidates (on a small index
        // they came with round 1: `early_meta`).
        let per_chunk = self.manifest.docs_per_meta_chunk;
        // Ids are sorted, so their chunks come in order.
        let mut chunks: Vec<usize> = docs.iter().map(|&d| (d / per_chunk) as usize).collect();
        chunks.dedup();
        let missing = self.missing_meta(&chunks, needs_meta, filters.needs_facets() && !docs.is_empty());
        if !missing.is_empty() {
            return Ok(Err(missing));
        }

        let docs = match filters.day_range() {
            Some((from, to)) => {
                let mut kept = Vec::with_capacity(docs.len());
                for doc in docs {
                    let day = self.doc_stats(doc)?.map(|s| s.day);
                    if day.is_some_and(|day| (from..=to).contains(&day)) {
                        kept.push(doc);
                    }
                }
                kept
            }
            None => docs,
        };
        let (docs, facets) = self.apply_facets(docs, filters)?;

        let collection = Collection {
            doc_count: self.manifest.doc_count,
            average_lengths: self.manifest.average_lengths,
            newest_day: self.manifest.newest_day,
            recency_half_life_days: self.manifest.recency_half_life_days,
        };
        let idfs: Vec<f32> = keyword_matches.iter().map(|m| collection.idf(m.docs.len())).collect();
        let mut cursors = vec![0usize; keyword_matches.len()];
        let mut ranking: Ranking = Vec::with_capacity(docs.len());
        for &doc in &docs {
            let Some(stats) = self.doc_stats(doc)? else {
                ranking.push((doc, 0.0));
                continue;
            };
            let mut score = 0.0;
            let mut exact_title = false;
            for ((matches, cursor), idf) in keyword_matches.iter().zip(&mut cursors).zip(&idfs) {
                while *cursor < matches.docs.len() && matches.docs[*cursor] < doc {
                    *cursor += 1;
                }
                if matches.docs.get(*cursor) == Some(&doc) {
                    let freqs = &matches.freqs[*cursor];
                    score += collection.keyword_score(*idf, freqs, &stats);
                    exact_title |=
                        freqs[crate::postings::TITLE] == 1 && stats.title_length == Some(matches.token_count);
                }
            }
            score *= collection.recency_factor(stats.day);
            if exact_title {
                score += EXACT_TITLE_BONUS;
            }
            ranking.push((doc, score));
        }
        if filters.sort == SortOrder::Relevance {
            sort_by_score(&mut ranking);
        }
        let (ranking, duplicates) =
            if filters.collapse_duplicates { self.collapse_duplicates(ranking) } else { (ranking, Vec::new()) };
        Ok(Ok(Ranked { ranking, duplicates, facets, rewrite: None, alternatives: Vec::new() }))
    }

    /// The ranking (and facet) data still missing that ranking with `filters` reads, all of it, when the index is small
    /// enough ([`EARLY_META_CHUNKS`]). Asked for with the dictionary chunks, it arrives one fetch round earlier than
    /// when asked for once the candidates are known; and nearly every query that finds something needs most of it.
    fn early_meta(&self, needs_meta: bool, filters: &Filters) -> Vec<String> {
        let chunks = self.meta.0.len();
        if chunks > EARLY_META_CHUNKS {
            return Vec::new();
        }
        let all: Vec<usize> = (0..chunks).collect();
        self.missing_meta(&all, needs_meta, filters.needs_facets())
    }

    /// The files not yet loaded of these doc-meta chunks: ranking data when `meta`, facet data when `facets`.
    fn missing_meta(&self, chunks: &[usize], meta: bool, facets: bool) -> Vec<String> {
        let mut names = Vec::new();
        if meta {
            names.extend(
                chunks.iter().filter(|c| !self.meta.contains_key(c)).map(|&c| self.manifest.meta_chunk_name(c)),
            );
        }
        if facets {
            if self.facet_values.is_none() {
                names.push(self.manifest.facet_values_name());
            }
            names.extend(
                chunks
                    .iter()
                    .filter(|c| !self.facet_chunks.contains_key(c))
                    .map(|&c| self.manifest.facet_chunk_name(c)),
            );
        }
        names
    }

    /// The story a post tells (the id of its newest telling; itself when no other post tells it, or when its
    /// ranking data is not loaded).
    fn story_of(&self, doc: u32) -> u32 {
        let per_chunk = self.manifest.docs_per_meta_chunk;
        self.meta.get(&((doc / per_chunk) as usize)).map_or(doc, |meta| meta.story_of(doc))
    }

    /// Keeps the first post of each story in result order, counting the others folded into it.
    fn collapse_duplicates(&self, ranking: Ranking) -> (Ranking, Vec<u32>) {
        // Per story (a post id), 1 + its position in `kept`; 0 while unseen.
        let mut position_of_story = vec![0u32; self.manifest.doc_count as usize];
        let mut kept: Ranking = Vec::with_capacity(ranking.len());
        let mut duplicates: Vec<u32> = Vec::with_capacity(ranking.len());
        for (doc, score) in ranking {
            let Some(slot) = position_of_story.get_mut(self.story_of(doc) as usize) else { continue };
            match *slot {
                0 => {
                    kept.push((doc, score));
                    duplicates.push(0);
                    *slot = kept.len() as u32;
                }
                position => duplicates[position as usize - 1] += 1,
            }
        }
        (kept, duplicates)
    }

    /// Applies the category and tag filters and counts facet values.
    ///
    /// Counts are disjunctive, as readers expect from a filter panel: category counts ignore the category filter
    /// (so other categories stay selectable) but respect the tag filter, and the other way round.
    fn apply_facets(&self, docs: Vec<u32>, filters: &Filters) -> Result<(Vec<u32>, Option<Facets>), Error> {
        if !filters.needs_facets() || docs.is_empty() {
            let facets = filters.facets.then(Facets::default);
            return Ok((docs, facets));
        }
        let values = self
            .facet_values
            .as_ref()
            .ok_or_else(|| Error::corrupt(&self.manifest.facet_values_name(), "not loaded"))?;
        let wanted = |names: &[String], selected: &[String]| -> Vec<bool> {
            names.iter().map(|name| selected.iter().any(|s| s == name)).collect()
        };
        let wanted_categories = wanted(&values.categories, &filters.categories);
        let wanted_tags = wanted(&values.tags, &filters.tags);
        // (value << 32 | story) for every matching post: a story told by several posts counts once per value, as the
        // results a click on the value shows fold it.
        let mut category_pairs: Vec<u64> = Vec::new();
        let mut tag_pairs: Vec<u64> = Vec::new();
        let mut kept = Vec::with_capacity(docs.len());
        let per_chunk = self.manifest.docs_per_meta_chunk;
        for doc in docs {
            let chunk_index = (doc / per_chunk) as usize;
            let name = || self.manifest.facet_chunk_name(chunk_index);
            let chunk = self.facet_chunks.get(&chunk_index).ok_or_else(|| Error::corrupt(&name(), "not loaded"))?;
            let (categories, tags) = chunk
                .documents
                .get((doc - chunk.first) as usize)
                .ok_or_else(|| Error::corrupt(&name(), "document missing"))?;
            let in_range = |ids: &[u32], len: usize| ids.iter().all(|&id| (id as usize) < len);
            if !in_range(categories, values.categories.len()) || !in_range(tags, values.tags.len()) {
                return Err(Error::corrupt(&name(), "facet value id out of range"));
            }
            let category_ok =
                filters.categories.is_empty() || categories.iter().any(|&id| wanted_categories[id as usize]);
            let tag_ok = filters.tags.is_empty() || tags.iter().any(|&id| wanted_tags[id as usize]);
            let story = u64::from(if filters.collapse_duplicates { self.story_of(doc) } else { doc });
            if tag_ok {
                category_pairs.extend(categories.iter().map(|&id| u64::from(id) << 32 | story));
            }
            if category_ok {
                tag_pairs.extend(tags.iter().map(|&id| u64::from(id) << 32 | story));
            }
            if category_ok && tag_ok {
                kept.push(doc);
            }
        }
        let count = |mut pairs: Vec<u64>, values: usize| {
            crate::sort::sort_u64(&mut pairs);
            pairs.dedup();
            let mut counts = vec![0usize; values];
            for pair in pairs {
                counts[(pair >> 32) as usize] += 1;
            }
            counts
        };
        let (category_counts, tag_counts) =
            (count(category_pairs, values.categories.len()), count(tag_pairs, values.tags.len()));
        let facets = filters.facets.then(|| Facets {
            categories: facet::counts(&category_counts, &values.categories),
            tags: facet::counts(&tag_counts, &values.tags),
        });
        Ok((kept, facets))
    }

    fn doc_stats(&self, doc: u32) -> Result<Option<DocStats>, Error> {
        let per_chunk = self.manifest.docs_per_meta_chunk;
        let Some(meta) = self.meta.get(&((doc / per_chunk) as usize)) else {
            return Ok(None);
        };
        let i = (doc - meta.first) as usize;
        match (meta.norms.get(i), meta.days.get(i)) {
            (Some(&norm), Some(&day)) => {
                let (title_length, body_length) = unpack_norm(norm);
                Ok(Some(DocStats { title_length, body_length, day }))
            }
            _ => Err(Error::corrupt(&self.manifest.meta_chunk_name((doc / per_chunk) as usize), "document missing")),
        }
    }
}

/// Orders by score, highest first, then by id (newest first).
fn sort_by_score(ranking: &mut Ranking) {
    // A float's bits, flipped so that unsigned order is numeric order.
    let ordered = |score: f32| {
        let bits = score.to_bits();
        if bits >> 31 == 1 {
            !bits
        } else {
            bits | 0x8000_0000
        }
    };
    let restored = |ordered: u32| f32::from_bits(if ordered >> 31 == 1 { ordered & 0x7FFF_FFFF } else { !ordered });
    let mut keys: Vec<u64> =
        ranking.iter().map(|&(doc, score)| (u64::from(!ordered(score)) << 32) | u64::from(doc)).collect();
    crate::sort::sort_u64(&mut keys);
    ranking.clear();
    ranking.extend(keys.into_iter().map(|key| (key as u32, restored(!((key >> 32) as u32)))));
}
