//! Louvain modularity clustering (Blondel et al., 2008) of a weighted undirected graph.
//! Deterministic: nodes are visited in index order and a node only moves for a strictly
//! better gain, so equal inputs give equal partitions.

use foldhash::{HashMap, HashMapExt};

/// Sweeps over all nodes per level before giving up on convergence.
const MAX_SWEEPS: usize = 50;
/// Gains below this are rounding noise, not improvements.
const EPSILON: f64 = 1e-12;

/// A graph level: each node's weighted neighbours (both directions listed) and the weight
/// of its self-loop, which stands for the edges inside a community of the level below.
struct Level {
    neighbours: Vec<Vec<(usize, f64)>>,
    self_loops: Vec<f64>,
}

/// The community of each of `nodes` nodes, numbered from 0 in order of their first node.
/// `edges` are undirected `(a, b, weight)`; isolated nodes stay alone.
pub fn louvain(nodes: usize, edges: &[(usize, usize, f64)]) -> Vec<usize> {
    let mut neighbours = vec![Vec::new(); nodes];
    for &(a, b, weight) in edges {
        if a != b && weight > 0.0 {
            neighbours[a].push((b, weight));
            neighbours[b].push((a, weight));
        }
    }
    let mut level = Level {
        neighbours,
        self_loops: vec![0.0; nodes],
    };
    let mut assignment: Vec<usize> = (0..nodes).collect();
    loop {
        let communities = level.move_nodes();
        let count = communities.iter().max().map_or(0, |&m| m + 1);
        if count == level.self_loops.len() {
            return assignment;
        }
        for community in &mut assignment {
            *community = communities[*community];
        }
        level = level.aggregate(&communities, count);
    }
}

impl Level {
    /// Local moving: each node joins the neighbouring community with the best modularity
    /// gain until no node moves. Returns communities numbered by first node.
    fn move_nodes(&self) -> Vec<usize> {
        let n = self.self_loops.len();
        let degree: Vec<f64> = (0..n)
            .map(|i| {
                self.neighbours[i].iter().map(|(_, w)| w).sum::<f64>() + 2.0 * self.self_loops[i]
            })
            .collect();
        let total: f64 = degree.iter().sum();
        let mut community: Vec<usize> = (0..n).collect();
        if total <= 0.0 {
            return community;
        }
        let mut community_degree = degree.clone();
        let mut weight_to = vec![0.0; n];
        let mut touched: Vec<usize> = Vec::new();
        for _ in 0..MAX_SWEEPS {
            let mut moved = false;
            for i in 0..n {
                let current = community[i];
                for &(j, w) in &self.neighbours[i] {
                    let c = community[j];
                    if weight_to[c] == 0.0 {
                        touched.push(c);
                    }
                    weight_to[c] += w;
                }
                community_degree[current] -= degree[i];
                let gain = |c: usize| weight_to[c] - community_degree[c] * degree[i] / total;
                let mut best = current;
                let mut best_gain = gain(current);
                for &c in &touched {
                    let g = gain(c);
                    if g > best_gain + EPSILON {
                        best = c;
                        best_gain = g;
                    }
                }
                community_degree[best] += degree[i];
                if best != current {
                    community[i] = best;
                    moved = true;
                }
                for c in touched.drain(..) {
                    weight_to[c] = 0.0;
                }
            }
            if !moved {
                break;
            }
        }
        let mut number: HashMap<usize, usize> = HashMap::new();
        community
            .iter()
            .map(|c| {
                let next = number.len();
                *number.entry(*c).or_insert(next)
            })
            .collect()
    }

    /// The graph of communities: edges between two communities summed, edges inside one
    /// folded into its self-loop.
    fn aggregate(&self, communities: &[usize], count: usize) -> Level {
        let mut self_loops = vec![0.0; count];
        let mut between: Vec<HashMap<usize, f64>> = vec![HashMap::new(); count];
        for (i, &ci) in communities.iter().enumerate() {
            self_loops[ci] += self.self_loops[i];
            for &(j, w) in &self.neighbours[i] {
                let cj = communities[j];
                if ci == cj {
                    // Each inner edge is listed from both ends.
                    self_loops[ci] += w / 2.0;
                } else {
                    *between[ci].entry(cj).or_insert(0.0) += w;
                }
            }
        }
        let neighbours = between
            .into_iter()
            .map(|targets| {
                let mut list: Vec<(usize, f64)> = targets.into_iter().collect();
                list.sort_unstable_by_key(|&(c, _)| c);
                list
            })
            .collect();
        Level {
            neighbours,
            self_loops,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clique(nodes: &[usize]) -> Vec<(usize, usize, f64)> {
        let mut edges = Vec::new();
        for (i, &a) in nodes.iter().enumerate() {
            for &b in &nodes[i + 1..] {
                edges.push((a, b, 1.0));
            }
        }
        edges
    }

    #[test]
    fn two_cliques_joined_by_one_edge_are_two_communities() {
        let mut edges = clique(&[0, 1, 2, 3, 4]);
        edges.extend(clique(&[5, 6, 7, 8, 9]));
        edges.push((4, 5, 1.0));
        let communities = louvain(11, &edges);
        assert_eq!(communities, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2]);
    }

    #[test]
    fn ring_of_cliques_is_split_per_clique_and_deterministic() {
        let mut edges = Vec::new();
        for k in 0..6 {
            let base = k * 5;
            edges.extend(clique(&[base, base + 1, base + 2, base + 3, base + 4]));
            edges.push((base + 4, (base + 5) % 30, 1.0));
        }
        let first = louvain(30, &edges);
        assert_eq!(first, louvain(30, &edges));
        for k in 0..6 {
            let c = first[k * 5];
            assert!((k * 5..k * 5 + 5).all(|i| first[i] == c), "{first:?}");
        }
        let distinct: std::collections::BTreeSet<usize> = first.iter().copied().collect();
        assert_eq!(distinct.len(), 6);
    }

    #[test]
    fn no_edges_leaves_every_node_alone() {
        assert_eq!(louvain(3, &[]), [0, 1, 2]);
    }
}
